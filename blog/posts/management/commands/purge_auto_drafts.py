"""
``manage.py purge_auto_drafts``: delete auto-drafts left for 7 days.

An auto-draft is the hidden row a new post's (or page's) first autosave makes
(``Post.AUTO_DRAFT``); saving the form turns it into the post. One nobody
saved nor autosaved for ``Post.AUTO_DRAFT_DAYS`` days was abandoned, as
WordPress judges its auto-drafts. ``purge_trash``, the daily clean-up, does
this too; this command is for running it on its own.
"""

from django.core.management.base import BaseCommand

from blog.posts.models import Post


class Command(BaseCommand):
    help = (
        f"Delete auto-drafts (new posts never saved) not autosaved for {Post.AUTO_DRAFT_DAYS} days."
    )

    def handle(self, *args, **options):
        count = Post.auto_drafts.purge()
        self.stdout.write(
            f"Purged {count} auto-draft(s) not autosaved for {Post.AUTO_DRAFT_DAYS} days."
        )
