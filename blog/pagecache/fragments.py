"""
Fragments shared by every page, cached apart from the pages that show them.

- ``{% cachedfragment "name" "key" ... %}...{% endcachedfragment %}`` keeps its
  rendered HTML under the versions of its dependency keys (``versions.py``):
  the sidebar depends on ``sidebar``, bumped by exactly the saves that change
  a widget (a published post, an approved comment, a category, a tag, the
  settings). It never outlives the next scheduled publish time.
- ``{% live_include "template" "key" ... [per_path] %}`` marks a part the page
  cache keeps apart from the page (the header menu, the sidebar): a cached
  page holds a ``Live`` slot there, filled on each hit from a copy that is
  valid while the keys' versions are unchanged (``store.py``). A page rendered
  afresh (the page cache off, a logged-in reader, a miss) takes it from the
  same copy. One approved comment re-renders the sidebar once, not every
  cached article.
"""

import hashlib
import math
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from . import versions

# Markers around a live part in a page that may be kept; ``split`` takes them out.
LIVE_START = "<!--pc:live:{name}|{keys}|{per_path}-->"
LIVE_END = "<!--/pc:live-->"
LIVE_RE = re.compile(r"<!--pc:live:([\w./-]+)\|([\w:,-]*)\|([01])-->(.*?)<!--/pc:live-->", re.S)
# A safety net for changes that send no signals (QuerySet.update, raw SQL).
MAX_SECONDS = 60 * 60


@dataclass(frozen=True, slots=True)
class Live:
    """A slot of a cached page: the template put in on each hit and what it depends on."""

    template: str
    keys: tuple
    # The header marks the current page's link, so each address has its own copy.
    per_path: bool = False


def fragment_key(name, keys):
    recorded = versions.read(keys)
    digest = hashlib.sha256(repr(sorted(recorded.items())).encode()).hexdigest()[:16]
    return f"pc:frag:{name}:{digest}"


def cached(name, keys, render, scheduled=True):
    """
    What ``render`` made, kept while ``keys`` are unchanged. ``scheduled``:
    whether it may change when a scheduled post goes live (a list of posts),
    so it must not be kept past that.
    """
    key = fragment_key(name, keys)
    html = cache.get(key)
    if html is None:
        html = render()
        seconds = seconds_until_next_publish(MAX_SECONDS) if scheduled else MAX_SECONDS
        cache.set(key, html, seconds)
    return html


def seconds_until_next_publish(limit):
    """``limit``, or fewer: the seconds until the next scheduled post goes live (rounded up)."""
    from .deps import next_scheduled_publish

    return _seconds_until(next_scheduled_publish(), limit)


def seconds_until_known_next_publish(limit):
    """
    As ``seconds_until_next_publish``, when the cache knows the next publish
    time; None when finding it would take a query.
    """
    from .deps import next_publish_if_known

    known, nxt = next_publish_if_known()
    return _seconds_until(nxt, limit) if known else None


def _seconds_until(nxt, limit):
    if nxt is None:
        return limit
    return max(1, min(limit, math.ceil((nxt - timezone.now()).total_seconds())))


def mark(live, html):
    """``html`` between the markers ``split`` finds."""
    start = LIVE_START.format(
        name=live.template, keys=",".join(live.keys), per_path=int(live.per_path)
    )
    return start + html + LIVE_END


def split(html):
    """
    ``(parts, lives)``: the page as literal strings and ``Live`` slots, and
    the HTML each slot holds in this rendering.
    """
    parts, lives, at = [], [], 0
    for match in LIVE_RE.finditer(html):
        parts.append(html[at : match.start()])
        lives.append(match.group(4))
        keys = tuple(k for k in match.group(2).split(",") if k)
        parts.append(Live(match.group(1), keys, match.group(3) == "1"))
        at = match.end()
    parts.append(html[at:])
    return parts, lives


def unmark(html):
    """The page without the markers, for an answer that is not kept."""
    return LIVE_RE.sub(lambda match: match.group(4), html)
