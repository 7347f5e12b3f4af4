"""
``manage.py purge_trash``: the one daily clean-up of what was put aside.

Posts in the trash go 30 days after they were trashed (``Post.trashed_at``);
comments in the trash or marked spam go 30 days after their status last
changed (``Comment.status_changed_at``, stamped by every moderation action).
The comments of a purged post go with it. Auto-drafts (new posts autosaved
but never saved) go 7 days after their last autosave, as purge_auto_drafts
does. The comment model is looked up by name rather than imported, so the
posts app still imports nothing of the comments app (design.md).
"""

import datetime

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from blog.posts.models import Post

# Trash and spam comments are kept as long as trashed posts are.
COMMENT_DAYS = Post.TRASH_DAYS


class Command(BaseCommand):
    help = (
        f"Delete posts that have been in the trash for more than {Post.TRASH_DAYS} days, "
        f"and comments that have been in the trash or spam for more than {COMMENT_DAYS} days."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        post_cutoff = now - datetime.timedelta(days=Post.TRASH_DAYS)
        comment_cutoff = now - datetime.timedelta(days=COMMENT_DAYS)
        Comment = apps.get_model("comments", "Comment")
        with transaction.atomic():
            comments = Comment.objects.filter(
                status__in=[Comment.Status.TRASH, Comment.Status.SPAM],
                status_changed_at__lt=comment_cutoff,
            )
            _, per_model = comments.delete()
            comment_count = per_model.get(Comment._meta.label, 0)
            stale = Post.objects.filter(status=Post.Status.TRASH, trashed_at__lt=post_cutoff)
            post_count = stale.count()
            stale.delete()
            auto_draft_count = Post.auto_drafts.purge(now)
        self.stdout.write(
            f"Purged {post_count} post(s) trashed before {post_cutoff:%Y-%m-%d %H:%M} UTC."
        )
        self.stdout.write(
            f"Purged {comment_count} comment(s) in the trash or spam since before "
            f"{comment_cutoff:%Y-%m-%d %H:%M} UTC."
        )
        self.stdout.write(
            f"Purged {auto_draft_count} auto-draft(s) not autosaved for "
            f"{Post.AUTO_DRAFT_DAYS} days."
        )
