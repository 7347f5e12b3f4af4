"""
What a post's body gives, computed once when the post is saved.

``derive()`` takes the body's own fields and returns what the article page,
lists and feeds show: the article HTML with heading ids and responsive library
images (``content_html``), the table of contents, the plain-text summary and
the word count. ``Post.save()`` stores them, an image that gets new renditions
refreshes the posts showing it (``refresh_posts_showing``), and the data
migration that filled them for older rows calls the same function: it takes
plain values and a model, so it works on historical models too.

A page view reads the stored fields; nothing here runs per request.
"""

import logging
import re
from typing import NamedTuple

from django.db.models import Q
from django.utils.text import Truncator

from blog import markup
from blog.media.html import responsive_images

logger = logging.getLogger(__name__)

PROTECTED_SUMMARY = "There is no excerpt because this is a protected post."
# Fewer headings than this read faster without a table of contents.
TOC_MIN_HEADINGS = 3
SUMMARY_WORDS = 55

# WordPress's teaser marker, also in its <!--more Custom text--> form: in the
# stored body, which is text the author typed, not HTML to walk.
_MORE = re.compile(r"<!--\s*more\b.*?-->", re.IGNORECASE | re.DOTALL)

# The fields derive() fills, for save(update_fields=...) and bulk updates.
FIELDS = ("content_html", "toc", "summary", "word_count")


class Derived(NamedTuple):
    content_html: str
    toc: list
    summary: str
    word_count: int


def derive(*, body, body_format, body_html, excerpt="", password="", pictures=None):
    """
    Everything shown from a body. ``body_html`` is its sanitised rendering
    (``markup.render_post``); ``pictures`` looks up library images by storage
    name (``blog.media.html.responsive_images``; the current models by default).
    """
    article = markup.article(body_html)
    return Derived(
        content_html=str(responsive_images(article.html, pictures=pictures)),
        toc=table_of_contents(article.headings),
        summary=summary(
            body=body,
            body_format=body_format,
            first_paragraph=article.first_paragraph,
            excerpt=excerpt,
            password=password,
        ),
        word_count=article.words,
    )


def table_of_contents(headings):
    """
    ``[{"id", "text", "children": [{"id", "text"}, ...]}, ...]`` of the h2s
    and h3s, an h3 before the first h2 standing alone; empty below
    ``TOC_MIN_HEADINGS`` headings.
    """
    headings = [h for h in headings if h.level in (2, 3)]
    if len(headings) < TOC_MIN_HEADINGS:
        return []
    entries, last_level = [], None
    for heading in headings:
        entry = {"id": heading.id, "text": heading.text}
        if heading.level == 3 and entries and last_level == 2:
            entries[-1]["children"].append(entry)
        else:
            entries.append({**entry, "children": []})
            last_level = heading.level
    return entries


def summary(*, body, body_format, body_html="", first_paragraph=None, excerpt="", password=""):
    """
    Plain text for lists, feeds and meta descriptions: the excerpt, else the
    text before ``<!--more-->``, else the first paragraph (``first_paragraph``,
    its plain text, when the caller has it; else read from ``body_html``) cut
    to 55 words. A password-protected post gives none of its text away.
    """
    if password:
        return PROTECTED_SUMMARY
    if excerpt:
        return excerpt
    teaser = _MORE.split(body or "", maxsplit=1)
    if len(teaser) > 1:
        return markup.plain_text(markup.render_post(teaser[0], body_format))
    if first_paragraph is None:
        first_paragraph = markup.article(body_html).first_paragraph
    return Truncator(first_paragraph).words(SUMMARY_WORDS)


def refresh_posts_showing(urls):
    """
    Re-derive the stored article of every post or page whose body names one of
    ``urls`` (a library image's address), found as ``blog/posts/usage.py``
    finds them; those whose derived fields change are saved with only those
    fields (no revision, no new ``updated_at``; ``post_save`` tells the page
    cache and the search index). Returns the posts saved.
    """
    from .models import Post

    urls = [url for url in urls if url]
    if not urls:
        return []
    found = Q()
    for url in urls:
        found |= Q(body__contains=url)
    changed = []
    for post in Post.any_kind.filter(found).order_by("pk"):
        before = [getattr(post, name) for name in FIELDS]
        try:
            post.derive()
            if [getattr(post, name) for name in FIELDS] != before:
                post.save(update_fields=FIELDS)
                changed.append(post)
        except markup.RenderRefused as refused:
            # A body stored before the render limits, over them now: it keeps
            # the fields it has (its old pictures) rather than failing the
            # image's upload or edit.
            logger.warning("Post %s not refreshed for %s: %s", post.pk, urls, refused)
    return changed


def refresh_on_image_change(sender, image, url, **kwargs):
    """``blog.media.signals.image_changed``: the posts showing the image follow it."""
    refresh_posts_showing([url])
