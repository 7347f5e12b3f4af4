"""
The signed links in comment emails: approve, spam or trash a pending comment
from the post author's inbox, and stop reply notifications.

Neither view asks anyone to log in: the signature is the authority. A link is
made for one comment, one action and one recipient, signed with SECRET_KEY
(``django.core.signing``, with a salt of its own so no other signed value can
stand in for it), and only this site can make one. A moderation link also
carries the comment's status when it was made, so once anyone has handled the
comment the link is refused, and it expires after ``MODERATION_MAX_AGE``.
The three links of one email share a nonce, recorded (``ModerationLinkUse``)
when one of them acts: after that none of them acts again, even once the
comment is back in the status it had when the email was sent.

Opening a link (GET) only shows what it would do and asks to confirm; the
change is a POST from that page (moderation with Django's CSRF protection),
so mail scanners and link previews that fetch every URL change nothing. Mail
programs' own unsubscribe buttons POST to the unsubscribe link directly
(RFC 8058 one-click), so that view takes a POST without a CSRF token.

The pages send ``Referrer-Policy: same-origin``: the token in their address
never leaves the site in a Referer, yet the browser still sends this site's
``Origin`` with the confirming POST. (``no-referrer`` made Chromium send
``Origin: null``, which Django's CSRF check refuses.)
"""

import datetime
import functools
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .models import Comment, ModerationLinkUse
from .status import change_status

MODERATION_SALT = "blog.comments.moderation-link"
UNSUBSCRIBE_SALT = "blog.comments.unsubscribe-link"
MODERATION_MAX_AGE = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Action:
    status: str
    question: str  # the confirmation page's question, before "by X on “post”?"
    verb: str  # its button
    done: str  # the page after the POST


ACTIONS = {
    "approve": Action(
        Comment.Status.APPROVED,
        "Approve this comment",
        "Approve",
        "The comment is approved and shown on the post.",
    ),
    "spam": Action(
        Comment.Status.SPAM,
        "Mark this comment as spam",
        "Mark as spam",
        "The comment is marked as spam.",
    ),
    "trash": Action(
        Comment.Status.TRASH,
        "Move this comment to the trash",
        "Move to trash",
        "The comment is in the trash.",
    ),
}


def can_moderate(user):
    """Whether ``user`` may be sent moderation links (and may still use them)."""
    return user.is_active and user.has_perm("comments.change_comment")


def moderation_path(comment, action, recipient, nonce=None):
    """
    The path of the link that applies ``action`` to ``comment``, for
    ``recipient``; links sharing a ``nonce`` (a new one when None) act once
    between them.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown moderation action {action!r}.")
    token = signing.dumps(
        {
            "c": comment.pk,
            "a": action,
            "s": comment.status,
            "u": recipient.pk,
            "n": nonce or new_nonce(),
        },
        salt=MODERATION_SALT,
    )
    return reverse("comments:moderate", kwargs={"token": token})


def moderation_paths(comment, recipient):
    """One email's links, ``{action: path}``: whichever is used first, the others are spent."""
    nonce = new_nonce()
    return {action: moderation_path(comment, action, recipient, nonce) for action in ACTIONS}


def new_nonce():
    return secrets.token_urlsafe(12)


def unsubscribe_path(comment):
    """The path of the link that stops reply emails for ``comment``'s commenter (asks on GET)."""
    token = signing.dumps({"c": comment.pk}, salt=UNSUBSCRIBE_SALT)
    return reverse("comments:unsubscribe", kwargs={"token": token})


class LinkRefused(Exception):
    def __init__(self, status, heading, message):
        super().__init__(message)
        self.status = status
        self.heading = heading
        self.message = message


def _read_moderation_token(token):
    """The link's payload, with ``n`` its nonce, or LinkRefused."""
    try:
        data = signing.loads(token, salt=MODERATION_SALT, max_age=MODERATION_MAX_AGE)
    except signing.SignatureExpired:
        days = MODERATION_MAX_AGE.days
        raise LinkRefused(
            410,
            "This link has expired.",
            f"Moderation links in emails work for {days} days. "
            "You can still moderate the comment in the admin.",
        ) from None
    except signing.BadSignature:
        raise LinkRefused(400, "This link is not valid.", _BROKEN_LINK) from None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("c"), int)
        and isinstance(data.get("u"), int)
        and data.get("a") in ACTIONS
        and data.get("s") in Comment.Status.values
        and isinstance(data.get("n", ""), str)
    ):
        raise LinkRefused(400, "This link is not valid.", _BROKEN_LINK)
    if not data.get("n"):
        # Sent before links carried a nonce: the link's own signature stands
        # in for it, so the link acts once (its email's others may still act).
        data["n"] = token.rsplit(":", 1)[-1]
    return data


_BROKEN_LINK = (
    "It may have been cut short or changed on the way. "
    "Copy the whole link from the email, or moderate the comment in the admin."
)


def _refused(request, refusal, **context):
    return render(
        request,
        "comments/moderate_confirm.html",
        {"state": "refused", "heading": refusal.heading, "message": refusal.message, **context},
        status=refusal.status,
    )


def _comment_for(data, *, lock=False):
    """The link's comment and the moderator it was sent to, or LinkRefused."""
    # The lock keeps two clicks on the same link from both applying it.
    queryset = (
        Comment.objects.select_for_update() if lock else Comment.objects.select_related("post")
    )
    comment = queryset.filter(pk=data["c"]).first()
    if comment is None:
        raise LinkRefused(404, "This comment no longer exists.", "There is nothing left to do.")
    recipient = get_user_model().objects.filter(pk=data["u"]).first()
    if recipient is None or not can_moderate(recipient):
        # The link was made for someone who may no longer moderate comments.
        raise LinkRefused(
            403,
            "This link no longer works.",
            "The account it was sent to may no longer moderate comments.",
        )
    status = comment.get_status_display().lower()
    if comment.status != data["s"]:
        raise LinkRefused(
            409,
            "This comment was already handled.",
            f"It is now {status}; this link changes nothing.",
        )
    use = ModerationLinkUse.objects.filter(nonce=data["n"]).first()
    if use is not None:
        raise _already_used(use.used_at, status)
    return comment, recipient


def _already_used(used_at, status):
    when = dateformat.format(timezone.localtime(used_at), r"M j, Y \a\t H:i")
    return LinkRefused(
        409,
        "This link was already used.",
        f"A link from this email moderated the comment on {when}, and each email's "
        f"links act once. The comment is now {status}; "
        "you can still moderate it in the admin.",
    )


def _token_stays_here(view):
    """
    The token is in the page's address: a link on the page to another site
    gets no Referer, while the page's own POST keeps its Origin (see above).
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


@_token_stays_here
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def moderate(request, token):
    """
    GET: ask "Approve this comment by X on “post”?" and change nothing.
    POST (the page's button): check the link again, under a row lock, apply
    it and record its email's nonce as used, in one transaction.
    """
    try:
        data = _read_moderation_token(token)
        action = ACTIONS[data["a"]]
        if request.method != "POST":
            comment, _ = _comment_for(data)
            return render(
                request,
                "comments/moderate_confirm.html",
                {"state": "confirm", "comment": comment, "action": action},
            )
        with transaction.atomic():
            comment, recipient = _comment_for(data, lock=True)
            ModerationLinkUse.objects.create(nonce=data["n"], comment=comment, action=data["a"])
            # A link expires MODERATION_MAX_AGE after it was made, so an older
            # use guards a link that no longer works: forgotten, and the table
            # stays the size of a week's moderation.
            stale = timezone.now() - MODERATION_MAX_AGE
            ModerationLinkUse.objects.filter(used_at__lt=stale).delete()
            # As the moderator it was sent to: the reason names them.
            change_status(comment, action.status, recipient, "from the email link")
    except LinkRefused as refusal:
        return _refused(request, refusal)
    except IntegrityError:
        # The same email's link acted in a transaction that committed while
        # this one waited (databases without row locks).
        use = ModerationLinkUse.objects.select_related("comment").filter(nonce=data["n"]).first()
        if use is None:
            raise
        status = use.comment.get_status_display().lower()
        return _refused(request, _already_used(use.used_at, status))
    return render(
        request,
        "comments/moderate_confirm.html",
        {"state": "done", "comment": comment, "action": action},
    )


# Mail programs send RFC 8058 one-click unsubscribes as a POST with no CSRF
# token; the signed link is the authority, and all it can do is turn reply
# emails off, which is what the person holding the email asked for.
@csrf_exempt
@_token_stays_here
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """
    GET: ask "Stop emails about replies?" and change nothing (mail scanners
    open every link). POST (the page's button, or a mail program's one-click
    unsubscribe): stop reply emails for every comment the commenter left on
    this post with the same address; doing it twice changes nothing more.
    """
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        data = None
    if not (isinstance(data, dict) and isinstance(data.get("c"), int)):
        return render(
            request,
            "comments/unsubscribed.html",
            {"state": "invalid", "message": _BROKEN_LINK},
            status=400,
        )
    comment = Comment.objects.select_related("post").filter(pk=data["c"]).first()
    if request.method != "POST":
        return render(
            request, "comments/unsubscribed.html", {"state": "confirm", "comment": comment}
        )
    if comment is not None:
        mine = Comment.objects.filter(post=comment.post_id)
        mine = (
            mine.filter(email__iexact=comment.email)
            if comment.email
            else mine.filter(pk=comment.pk)
        )
        mine.filter(notify_replies=True).update(notify_replies=False)
    # A deleted comment gets no more replies mailed either: that is success too.
    return render(request, "comments/unsubscribed.html", {"state": "done", "comment": comment})
