"""
Fragments shared by every page, cached apart from the pages that show them.

- ``{% cachedfragment "name" "key" ... %}...{% endcachedfragment %}`` keeps its
  rendered HTML under the versions of its dependency keys (``versions.py``):
  the sidebar depends on ``sidebar``, bumped by exactly the saves that change
  a widget (a published post, an approved comment, a category, a tag, the
  settings). It never outlives the next scheduled publish time.
- ``{% live_include "template" %}`` marks a part the page cache renders
  again each time it serves a page (the header menu, the sidebar): one
  approved comment re-renders the sidebar once, not every cached article.
"""

import hashlib
import math
import re

from django.core.cache import cache
from django.utils import timezone

from . import versions

LIVE_START = "<!--pc:live:{}-->"
LIVE_END = "<!--/pc:live-->"
LIVE_RE = re.compile(r"<!--pc:live:([\w./-]+)-->(.*?)<!--/pc:live-->", re.S)
# A safety net for changes that send no signals (QuerySet.update, raw SQL).
MAX_SECONDS = 60 * 60


def fragment_key(name, keys):
    recorded = versions.read(keys)
    digest = hashlib.sha256(repr(sorted(recorded.items())).encode()).hexdigest()[:16]
    return f"pc:frag:{name}:{digest}"


def cached(name, keys, render):
    key = fragment_key(name, keys)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds_until_next_publish(MAX_SECONDS))
    return html


def seconds_until_next_publish(limit):
    """``limit``, or fewer: the seconds until the next scheduled post goes live (rounded up)."""
    from .deps import next_scheduled_publish

    nxt = next_scheduled_publish()
    if nxt is None:
        return limit
    return max(1, min(limit, math.ceil((nxt - timezone.now()).total_seconds())))


def split(html):
    """The page as a list of literal strings and ``(template,)`` live parts."""
    parts, at = [], 0
    for match in LIVE_RE.finditer(html):
        parts.append(html[at : match.start()])
        parts.append((match.group(1),))
        at = match.end()
    parts.append(html[at:])
    return parts
