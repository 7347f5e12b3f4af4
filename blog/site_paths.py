"""
The first parts of addresses the site answers itself, which a page may not take.

Pages answer at their full path after every other URL pattern, so a top-level
page called ``feed`` or ``2014`` would never be reached (or would hide the
site's own page if the order changed). The model's validation refuses these
slugs, so the admin, the importer and any other form agree; a slug made from a
title gets ``-2`` instead.
"""

import re

RESERVED_SLUGS = frozenset(
    {
        "admin", "category", "tag", "author", "search", "feed", "page", "comments",
        "preview", "unlock", "media", "static", "sitemap.xml", "robots.txt", "favicon.ico",
        "wp-admin", "wp-content", "wp-includes", "archives",
    }
)  # fmt: skip

# Digits are years (/2014/), page numbers and WordPress's ?p= ids, at any depth.
_DIGITS = re.compile(r"\d+")


def only_digits(slug):
    return _DIGITS.fullmatch(slug) is not None


def reserved(slug, *, top_level=True):
    """Whether a page slug would shadow one of the site's addresses."""
    return only_digits(slug) or (top_level and slug.lower() in RESERVED_SLUGS)
