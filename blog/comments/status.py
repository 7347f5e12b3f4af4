"""
The one way a stored comment changes status.

Every path goes through ``change_status``: the admin's change form, its bulk
actions and row actions, the reply form (replying to a pending comment
approves it) and the signed links in emails. So whichever was used, the
comment gets the same things:

- ``status_changed_at`` stamped (``purge_trash`` counts 30 days from it);
- ``moderation_reason`` saying what was done, by whom and where (the queue's
  *why* column), e.g. "Approved by Ed Itor from the email link.";
- one ``save()``, whose receivers do the rest exactly once: the page cache
  refreshes the pages showing the comment when it is or was approved
  (``blog/pagecache/signals.py``), and a reply that becomes approved is
  mailed to its parent's commenter (``notifications.notify_reply_approved``).
  No path sends a reply email of its own, so none sends two.

Counts (the status views' figures, the pending badge, a post's "N Comments")
are read from the table, so they follow the saved status.

A comment already in ``status`` is left alone: no stamp, no new reason.
"""

from django.utils import timezone

from .models import Comment

Status = Comment.Status

_REASON_LENGTH = Comment._meta.get_field("moderation_reason").max_length

# What was done, by the status given and, for pending, the status left.
_DONE = {
    Status.APPROVED: "Approved",
    Status.SPAM: "Marked as spam",
    Status.TRASH: "Moved to the trash",
}
_BACK_TO_PENDING = {
    Status.SPAM: "Marked as not spam",
    Status.TRASH: "Restored from the trash",
}


def reason(old, new, who=None, why=""):
    """
    The reason stored for a change from ``old`` to ``new``: "Approved by
    Ed Itor from the email link." (``who`` a user or None, ``why`` where).
    """
    done = _BACK_TO_PENDING.get(old, "Unapproved") if new == Status.PENDING else _DONE[new]
    name = getattr(who, "public_name", "")
    text = " ".join(part for part in (done, f"by {name}" if name else "", why) if part) + "."
    return text if len(text) <= _REASON_LENGTH else text[: _REASON_LENGTH - 1] + "…"


def change_status(comment, status, who=None, why=""):
    """
    Give the stored ``comment`` ``status``, as ``who`` (a user, or None)
    did it ``why`` ("from the email link", "in the comment queue"...).
    True when it changed; False when it already had that status.
    """
    status = Status(status)
    old = comment.status
    if old == status:
        return False
    comment.status = status
    comment.status_changed_at = timezone.now()
    comment.moderation_reason = reason(old, status, who, why)
    comment.save(update_fields=["status", "status_changed_at", "moderation_reason"])
    return True
