"""
What search engines and link previews read about a page: descriptions,
the image shown when a post is shared, and the JSON-LD ``BlogPosting``.

Everything here works from objects the pages already hold (the article's
post comes with its author, categories, tags and image renditions), so the
metadata costs no query.
"""

import html
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import mark_safe

from blog.media.models import Format

# Search engines show about this much of a description before cutting it.
DESCRIPTION_LENGTH = 160
# Wide enough for large link cards (Facebook and X ask for 1200 px) without
# sending a multi-megabyte original.
SHARE_IMAGE_WIDTH = 1200

# The characters Django's json_script escapes, so a title holding
# "</script>" cannot end the block early.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def meta_description(text, limit=DESCRIPTION_LENGTH):
    """
    Plain text for a description attribute: whitespace folded, cut at a word
    boundary to at most ``limit`` characters with an ellipsis. ``text`` may be
    rendered template output, so entities are decoded first (and escaped again
    by the template) rather than cut in half.
    """
    text = " ".join(html.unescape(str(text)).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def last_modified(post):
    """
    When the post's page last changed: its last edit, or its publication if
    that came later (a scheduled post goes live after its last save).
    """
    return max(filter(None, [post.updated_at, post.published_at]))


def share_image(post):
    """
    The featured image as link previews should fetch it: the widest
    JPEG/PNG rendition up to ``SHARE_IMAGE_WIDTH``, else the original.
    None when the post has no image, or hides it behind a password.
    """
    image = post.featured_image
    if image is None or post.password:
        return None
    fits = [
        r
        for r in image.renditions.all()
        if r.format in (Format.JPEG, Format.PNG) and r.width <= SHARE_IMAGE_WIDTH
    ]
    if image.width <= SHARE_IMAGE_WIDTH or not fits:
        chosen = image
    else:
        chosen = max(fits, key=lambda r: r.width)
    return {
        "url": chosen.file.url,
        "width": chosen.width,
        "height": chosen.height,
        "alt": image.alt_text,
    }


def iso_datetime(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


def blog_posting(post, request, site_title):
    """The schema.org ``BlogPosting`` of a published post, as a dict."""
    url = request.build_absolute_uri(post.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": meta_description(post.summary),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso_datetime(post.published_at),
        "dateModified": iso_datetime(last_modified(post)),
        "author": {
            "@type": "Person",
            "name": post.author.public_name,
            "url": request.build_absolute_uri(post.author.get_absolute_url()),
        },
        "publisher": {"@type": "Organization", "name": site_title},
    }
    image = share_image(post)
    if image:
        data["image"] = {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(image["url"]),
            "width": image["width"],
            "height": image["height"],
        }
    categories = list(post.categories.all())
    if categories:
        data["articleSection"] = categories[0].name
    tags = [tag.name for tag in post.tags.all()]
    if tags:
        data["keywords"] = tags
    return data


def json_ld(data):
    """``data`` in a ``<script type="application/ld+json">`` block, escaped as json_script does."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(  # noqa: S308 - the escapes above leave no markup in the JSON
        f'<script type="application/ld+json">{text.translate(_JSON_SCRIPT_ESCAPES)}</script>'
    )
