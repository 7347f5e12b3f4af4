from django.conf import settings
from django.db import models
from django.utils import timezone


def comparable(text):
    """Text as a person sees it: browsers send CRLF, scripts LF; edge whitespace is noise."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


class Revision(models.Model):
    """
    A post's title, excerpt, body and author as they were after one save.

    Recorded by the ``post_save`` receiver in ``blog/posts/signals.py`` whenever
    the content differs from the latest revision; ``QuerySet.update()`` skips
    signals and so records nothing.
    """

    CONTENT_FIELDS = ("title", "excerpt", "body")

    post = models.ForeignKey("posts.Post", related_name="revisions", on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The post's author at the time; the post keeps its author if this user goes.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    # Who saved; None for saves outside the admin (imports, shell, commands).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["post", "-created_at"], name="revision_post_created_idx")]

    def __str__(self):
        return f"{self.title} ({self.created_at:%Y-%m-%d %H:%M})"

    def matches(self, post):
        """Whether ``post`` holds this revision's title, excerpt, body and author."""
        return self.author_id == post.author_id and all(
            comparable(getattr(self, name)) == comparable(getattr(post, name))
            for name in self.CONTENT_FIELDS
        )


class Autosave(models.Model):
    """
    The text of a post as one person last had it open in the editor, unsaved.

    One per person per post, replaced on every autosave; it never touches the
    post itself until the person restores it.
    """

    post = models.ForeignKey("posts.Post", related_name="autosaves", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    title = models.CharField(max_length=200, blank=True)
    excerpt = models.TextField(blank=True)
    body = models.TextField(blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="autosave_one_per_user_post"),
        ]

    def __str__(self):
        return f"Autosave of {self.post_id} by {self.user_id} at {self.saved_at:%H:%M:%S}"

    def matches(self, post):
        return all(
            comparable(getattr(self, name)) == comparable(getattr(post, name))
            for name in Revision.CONTENT_FIELDS
        )
