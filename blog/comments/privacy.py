"""
A commenter's personal data, found and exported or erased by email address.

The admin's "Export or erase by email" page (``CommentAdmin.privacy_view``)
is a thin form over these functions. An address matches whatever its case.

- ``export`` gives every comment of the address as plain data (JSON-ready).
- ``anonymise`` keeps the text of the comments and clears who wrote them:
  name becomes "Anonymous"; email, website, IP, browser, account and the
  moderation reason (which may quote the address or the IP) are cleared, and
  reply notifications stop.
- ``delete`` removes the comments. Replies to them stay, as top-level
  comments (``Comment.parent`` is ``SET_NULL``).
"""

from django.db import transaction

from .models import Comment

ANONYMOUS = "Anonymous"


def comments_of(email):
    """Every comment written with ``email``, whatever its status, oldest first."""
    email = email.strip()
    if not email:
        return Comment.objects.none()
    return Comment.objects.filter(email__iexact=email)


def export(email, absolute_url=lambda path: path):
    """
    The comments of ``email`` as a list of dicts. ``absolute_url`` turns a
    path into a full URL (the admin passes ``request.build_absolute_uri``).
    """
    comments = comments_of(email).select_related("post").order_by("created_at", "pk")
    return [
        {
            "id": comment.pk,
            "post_title": comment.post.title,
            "comment_url": absolute_url(comment.get_absolute_url()),
            "date": comment.created_at.isoformat(),
            "name": comment.name,
            "email": comment.email,
            "url": comment.url,
            "ip": comment.ip,
            "user_agent": comment.user_agent,
            "body": comment.body,
            "status": comment.status,
        }
        for comment in comments
    ]


def anonymise(email):
    """Clear the personal fields of the comments of ``email``; the number changed."""
    return comments_of(email).update(
        name=ANONYMOUS,
        email="",
        url="",
        ip=None,
        user_agent="",
        user=None,
        moderation_reason="",
        notify_replies=False,
    )


def delete(email):
    """Delete the comments of ``email`` (their replies stay); the number deleted."""
    with transaction.atomic():
        _, per_model = comments_of(email).delete()
    return per_model.get(Comment._meta.label, 0)
