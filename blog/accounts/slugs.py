"""
The public author slug: ``/author/<slug>/``. It is made from the display
name, never from the login name, so an author's archive does not tell anyone
half of what they log in with.
"""

from django.utils.text import slugify

MAX_LENGTH = 150


def base_slug(display_name):
    """The display name slugified, ``author`` when that leaves nothing."""
    return slugify(display_name)[: MAX_LENGTH - 8].strip("-") or "author"


def author_slug(display_name, username, is_taken):
    """
    A free slug for an author: the display name slugified (``author`` when that
    leaves nothing), with ``-2``, ``-3``… when taken or when it would spell
    the login name. ``is_taken(candidate)`` says whether another user has it.
    """
    base = base_slug(display_name)
    candidate, number = base, 1
    while candidate == username.lower() or is_taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate
