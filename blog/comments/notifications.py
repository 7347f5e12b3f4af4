"""
Emails about comments, sent through Django's mail backend (MAILERS) once the
transaction that stored the comment has committed.

Connected in ``CommentsConfig.ready()``:

``notify_post_author`` (``comment_posted``)
    The post's author hears of each new approved or pending comment, unless
    they wrote it or have no email address. A pending comment's email carries
    signed links to approve, spam or trash it (``moderation_links``) when the
    author may moderate comments; spam and trash are not announced.

``notify_reply_posted`` (``comment_posted``) and ``notify_reply_approved`` (``post_save``)
    When a reply becomes approved, at posting or later when a moderator
    approves it, the parent's commenter hears of it if they asked to (the
    form's ``notify_replies``), with a one-click unsubscribe link. Later
    approvals are caught on ``post_save``: ``remember_status`` (``pre_save``)
    reads the stored status of an approved reply being saved, so a save that
    turns pending into approved sends one email and any later save none.
    Every status change goes through ``blog.comments.status.change_status``,
    which saves the comment, so bulk approvals send their emails this way too.

Every email is queued with ``transaction.on_commit`` (robust: a mail server
that fails is logged, and never undoes or breaks the comment), so a rolled
back transaction sends nothing.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from blog.sitesettings.models import SiteSettings

from .models import Comment
from .moderation_links import MODERATION_MAX_AGE, can_moderate, moderation_paths, unsubscribe_path

logger = logging.getLogger(__name__)


def absolute_url(path, request=None):
    """``path`` as a full URL: from the request when there is one, else from BLOG_SITE_URL."""
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.BLOG_SITE_URL.rstrip("/") + path


def _one_line(text):
    # Headers may not hold line breaks; titles typed in the admin could.
    return " ".join(str(text).split())


def _send_on_commit(message):
    def send():
        message.send()

    send.__qualname__ = f"send email {message.subject!r} to {message.to}"
    transaction.on_commit(send, robust=True)


# The post's author


def notify_post_author(sender, comment, request=None, **kwargs):
    """``comment_posted`` receiver: tell the post's author of a new comment."""
    if comment.status not in (Comment.Status.APPROVED, Comment.Status.PENDING):
        return
    post = comment.post
    author = post.author
    # The account, not the typed address, says who wrote it: a stranger who
    # types the author's address must not keep the author from hearing of it.
    if not author.email or comment.user_id == author.pk:
        return
    pending = comment.status == Comment.Status.PENDING
    moderator = can_moderate(author)
    links = {}
    if pending and moderator:
        # One nonce for the three: whichever is used first spends the others.
        links = {
            action: absolute_url(path, request)
            for action, path in moderation_paths(comment, author).items()
        }
    site_title = _one_line(SiteSettings.current().title)
    subject = f"[{site_title}] New comment on “{_one_line(post.title)}”"
    if pending:
        subject += " awaiting your approval" if moderator else " awaiting approval"
    body = render_to_string(
        "comments/email/new_comment.txt",
        {
            "site_title": site_title,
            "post": post,
            "comment": comment,
            "pending": pending,
            "moderator": moderator,
            "comment_url": absolute_url(comment.get_absolute_url(), request),
            "admin_url": absolute_url(
                reverse("admin:comments_comment_change", args=[comment.pk]), request
            ),
            "links": links,
            "link_days": MODERATION_MAX_AGE.days,
        },
    )
    message = EmailMessage(
        subject,
        body,
        to=[author.email],
        reply_to=[comment.email] if comment.email else None,
    )
    _send_on_commit(message)


# The parent's commenter


def notify_parent_of_reply(reply, request=None):
    """
    Queue the email telling the parent's commenter of ``reply``, if it is an
    approved reply to an approved comment whose commenter asked to hear of
    replies and is someone else. Call it once per approval.
    """
    if reply.status != Comment.Status.APPROVED or reply.parent_id is None:
        return
    # Read afresh: the parent may have been unsubscribed or moderated since it was loaded.
    parent = Comment.objects.filter(pk=reply.parent_id).first()
    if (
        parent is None
        or not parent.notify_replies
        or not parent.email
        or parent.status != Comment.Status.APPROVED
        or parent.email.casefold() == reply.email.casefold()
    ):
        return
    post = reply.post
    site_title = _one_line(SiteSettings.current().title)
    unsubscribe_url = absolute_url(unsubscribe_path(parent), request)
    body = render_to_string(
        "comments/email/reply.txt",
        {
            "site_title": site_title,
            "post": post,
            "parent": parent,
            "reply": reply,
            "reply_url": absolute_url(reply.get_absolute_url(), request),
            "unsubscribe_url": unsubscribe_url,
        },
    )
    message = EmailMessage(
        f"[{site_title}] New reply to your comment on “{_one_line(post.title)}”",
        body,
        to=[parent.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show their own unsubscribe
            # button, which POSTs to the link.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    _send_on_commit(message)


def notify_reply_posted(sender, comment, request=None, **kwargs):
    """``comment_posted`` receiver: a reply approved as it is posted."""
    notify_parent_of_reply(comment, request)


def remember_status(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` receiver: the stored status of an approved reply about to be saved."""
    instance._status_before_save = None
    if (
        raw
        or instance._state.adding
        or instance.parent_id is None
        or instance.status != Comment.Status.APPROVED
        or (update_fields is not None and "status" not in update_fields)
    ):
        return
    instance._status_before_save = (
        Comment.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    )


def notify_reply_approved(sender, instance, created=False, raw=False, **kwargs):
    """``post_save`` receiver: a stored reply that has just become approved."""
    before = instance.__dict__.pop("_status_before_save", None)
    if created or raw or before is None:
        return
    if before != Comment.Status.APPROVED and instance.status == Comment.Status.APPROVED:
        notify_parent_of_reply(instance)
