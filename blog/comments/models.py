from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from blog import markup


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def shown_on_public_posts(self):
        """
        Approved comments any reader can see: on published posts that are
        neither password protected nor hiding their comments.
        """
        from blog.posts.models import Post  # comments know posts, not the reverse

        posts = Post.any_kind.published().filter(password="")
        posts = posts.exclude(comment_mode=Post.CommentMode.HIDDEN)
        return self.approved().filter(post__in=posts)

    def twins(self, post, body):
        """
        Stored comments that a new comment of ``body`` on ``post`` would
        repeat: WordPress's duplicate check, whoever wrote them; a trashed
        copy does not count, so its text may be posted again.
        """
        return self.filter(post=post, body=body).exclude(status=Comment.Status.TRASH)

    def count_by_post(self, posts):
        """Approved comment counts for many posts in one query: {post_id: n}."""
        rows = (
            self.approved()
            .filter(post__in=[p.pk for p in posts])
            .values("post")
            .annotate(n=models.Count("pk"))
            .values_list("post", "n")
        )
        return dict(rows)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        TRASH = "trash", "Trash"

    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        # Notices from other blogs that linked to a post, as WordPress keeps
        # them; shown apart from the conversation.
        PINGBACK = "pingback", "Pingback"
        TRACKBACK = "trackback", "Trackback"

    post = models.ForeignKey("posts.Post", related_name="comments", on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.COMMENT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="replies", on_delete=models.SET_NULL
    )
    name = models.CharField(max_length=100)
    # Blank is allowed for imported pingbacks and old comments; the form requires it.
    email = models.EmailField(blank=True, help_text="Never shown publicly.")
    url = models.URLField("website", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="comments",
        on_delete=models.SET_NULL,
    )
    body = models.TextField(max_length=5000)
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    # A default rather than auto_now_add, so imports can keep the original date.
    created_at = models.DateTimeField(default=timezone.now)
    # When the status last changed: trash and spam are purged 30 days after.
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Why the moderator gave this status ("matched moderation word 'casino'").
    moderation_reason = models.CharField(max_length=200, blank=True)
    notify_replies = models.BooleanField(
        "email me replies", default=False, help_text="The commenter asked to hear of replies."
    )
    ip = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="comment_post_status_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_status_idx"),
        ]

    def __str__(self):
        return f"{self.name} on {self.post}"

    def save(self, *args, **kwargs):
        self.body_html = markup.render_comment(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # A short address that finds the comment's page of threads when followed
        # (as django-contrib-comments' comment links do), so links in emails,
        # feeds and the sidebar survive new comments, paging and slug changes.
        return reverse("comments:link", args=[self.pk])

    def save_unless_duplicate(self):
        """
        Store this new comment unless a twin is already stored (``twins``);
        True when it was stored.

        The check and the insert are one step: both run while this
        transaction holds the post's row lock (``FOR NO KEY UPDATE`` on
        PostgreSQL, which other comments on the post wait for but which
        blocks no reader and no foreign key to the post), so of identical
        comments posted at the same moment exactly one is stored and the
        others see it. SQLite ignores row locks: there the check waits for
        the writer before it only with ``"transaction_mode": "IMMEDIATE"``
        in the database's OPTIONS.
        """
        from blog.posts.models import Post  # comments know posts, not the reverse

        with transaction.atomic():
            locked = Post.any_kind.select_for_update(no_key=True).filter(pk=self.post_id)
            list(locked.values_list("pk", flat=True))
            if Comment.objects.twins(self.post_id, self.body).exists():
                return False
            self.save()
        return True


class ModerationLinkUse(models.Model):
    """
    An emailed set of moderation links that has acted: the nonce the email's
    approve, spam and trash links share (``moderation_links``). Once one of
    them has changed the comment, none of them acts again, whatever happens
    to the comment afterwards.
    """

    nonce = models.CharField(max_length=64, unique=True)
    comment = models.ForeignKey(Comment, related_name="link_uses", on_delete=models.CASCADE)
    action = models.CharField(max_length=10)
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.action} of comment {self.comment_id} at {self.used_at:%Y-%m-%d %H:%M}"
