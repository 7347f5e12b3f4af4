"""
WordPress's discussion rules, in WordPress's order, with the reason for each
decision kept on the comment so editors see why it landed where it did.

Each rule is one method taking the unsaved comment and returning a decision,
``(status, reason)``, or None to let the next rule decide.
"""

import re

from django.db.models import Q

from blog import markup
from blog.sitesettings.models import SiteSettings

from .models import Comment

Status = Comment.Status

# Where words are looked for, as WordPress does, with the name editors read.
_SEARCHED_FIELDS = {
    "name": "name",
    "email": "email",
    "url": "website",
    "body": "text",
    "ip": "IP address",
    "user_agent": "user agent",
}
_ANCHOR = re.compile(r"<a\s[^>]*\bhref=[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_BARE_URL = re.compile(r"https?://", re.IGNORECASE)
_REASON_LENGTH = Comment._meta.get_field("moderation_reason").max_length


def _keys(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _first_match(comment, keys):
    """The first key found, case-insensitively, inside any searched field: (key, field label)."""
    for key in keys:
        needle = key.casefold()
        for attribute, label in _SEARCHED_FIELDS.items():
            if needle in str(getattr(comment, attribute) or "").casefold():
                return key, label
    return None


def count_links(body):
    """
    Links in a comment as readers get them: the anchors left after sanitising
    (bare domains the page turns into links included, a javascript: href
    not), plus addresses the page leaves unlinked (an IP, an unknown TLD).
    """
    html = markup.render_comment(body)
    anchors = len(_ANCHOR.findall(html))
    return anchors + len(_BARE_URL.findall(_ANCHOR.sub(" ", html)))


def _reason(text):
    return text if len(text) <= _REASON_LENGTH else text[: _REASON_LENGTH - 1] + "…"


class Moderator:
    """Decides the status of a new comment from the site's discussion settings."""

    rules = (
        "posted_by_moderator",
        "disallowed_keys",
        "manual_approval",
        "moderation_keys",
        "too_many_links",
        "prior_approval",
    )

    def __init__(self, site=None):
        self.site = site or SiteSettings.current()

    def moderate(self, comment):
        """The first rule's decision, else approved: ``(status, reason)``."""
        for rule in self.rules:
            decision = getattr(self, rule)(comment)
            if decision is not None:
                return decision
        return Status.APPROVED, "Passed every discussion rule."

    def posted_by_moderator(self, comment):
        # WordPress trusts anyone who may moderate comments, before any word list.
        user = comment.user
        if user is not None and user.has_perm("comments.change_comment"):
            return Status.APPROVED, "Posted by a moderator."
        return None

    def disallowed_keys(self, comment):
        match = _first_match(comment, _keys(self.site.comment_disallowed_keys))
        if match is None:
            return None
        key, where = match
        return (
            Status(self.site.comment_disallowed_action),
            _reason(f"Disallowed word “{key}” in the {where}."),
        )

    def manual_approval(self, comment):
        if self.site.comment_manual_approval:
            return Status.PENDING, "Every comment must be manually approved."
        return None

    def moderation_keys(self, comment):
        match = _first_match(comment, _keys(self.site.comment_moderation_keys))
        if match is None:
            return None
        key, where = match
        return Status.PENDING, _reason(f"Moderation word “{key}” in the {where}.")

    def too_many_links(self, comment):
        links = count_links(comment.body)
        allowed = self.site.comment_max_links
        if links > allowed:
            noun = "link" if links == 1 else "links"
            return Status.PENDING, f"{links} {noun} (more than {allowed})."
        return None

    def prior_approval(self, comment):
        if not self.site.comment_require_prior_approval:
            return None
        # As WordPress: the same name and email together (or the same user)
        # on an approved comment, anywhere on the site.
        same = Q(name__iexact=comment.name, email__iexact=comment.email) if comment.email else Q()
        if comment.user_id:
            same |= Q(user=comment.user_id)
        if same and Comment.objects.approved().filter(same).exists():
            return None
        return Status.PENDING, "First comment from this commenter: held for approval."
