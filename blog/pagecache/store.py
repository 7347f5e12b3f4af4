"""
Kept pages: shared by every server in Django's cache, copied into each
process's memory, and checked against the dependency versions.

A process's copy was found current under a generation (``versions.py``): while
the generation is unchanged nothing was bumped, so a hit costs one ``get`` of
that small value. Once it has changed, the hit reads, with one ``get_many``,
the versions the page recorded, the versions its live parts (header, sidebar)
depend on, the stamp of the shared copy (a copy another server replaced, or a
cache emptied, is not used again) and the generation again. The bytes come
from the process's copy; a live part comes from the process's copy of it
while its versions are unchanged, and is rendered again otherwise. A process
without a copy reads the shared one first (one more ``get``). Every hit asks
the shared cache, so the copies in memory are exactly as fresh as the shared
ones.
"""

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from blog.sitesettings.models import SiteSettings

from . import fragments, versions

KEY_PREFIX = "pc:page:"
STAMP_PREFIX = "pc:stamp:"


@dataclass(frozen=True, slots=True)
class Entry:
    """A kept page: literal bytes and ``fragments.Live`` slots, and what it showed."""

    parts: tuple
    versions: dict
    headers: tuple
    modified: float
    expires: float
    etag: str
    stamp: str


@dataclass(frozen=True, slots=True)
class LiveCopy:
    values: tuple
    expires: float
    html: bytes
    etag: str
    modified: float


class Copies:
    """A bounded, least-recently-used dict, safe across threads (runserver)."""

    def __init__(self, size):
        self.size = size
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key, item):
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def drop(self, key):
        with self._lock:
            self._items.pop(key, None)

    def clear(self):
        with self._lock:
            self._items.clear()


pages = Copies(settings.BLOG_PAGE_CACHE_COPIES)
live_parts = Copies(settings.BLOG_PAGE_CACHE_COPIES * 4)


def forget_copies():
    """Empty this process's copies (tests: a new cache, a new world)."""
    pages.clear()
    live_parts.clear()


def page_key(request):
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _live_keys(entry):
    return {key for part in entry.parts if type(part) is fragments.Live for key in part.keys}


@dataclass(frozen=True, slots=True)
class Checked:
    """A process's copy of a page, current under ``generation`` with these ``found`` values."""

    entry: Entry
    generation: int
    found: dict


def find(key, now, generation=None):
    """
    ``(entry, live_values)`` for a page still current, or None. ``generation``:
    what ``versions.ask_generation`` gave, when the caller asked for it early.
    """
    if generation is None:
        generation = versions.ask_generation()
    local = pages.get(key)
    if local is not None and local.entry.expires > now:
        # Nothing was bumped since this copy was last found current: neither its versions
        # nor its live parts' have changed, and one small value says so.
        if generation() == local.generation:
            return local.entry, local.found
        entry, shared = local.entry, False
    else:
        entry, shared = cache.get(key), True
        if entry is None or entry.expires <= now:
            return None
    raw = {versions.cache_key(k) for k in (*entry.versions, *_live_keys(entry))}
    stamp_key = STAMP_PREFIX + key
    found = cache.get_many([*raw, stamp_key, versions.GENERATION])
    if found.get(stamp_key) != entry.stamp or any(
        found.get(versions.cache_key(k)) != v for k, v in entry.versions.items()
    ):
        pages.drop(key)
        return None
    # Read in the same MGET as the versions, so no bump can fall between them.
    current = found.get(versions.GENERATION)
    if current is None:
        cache.add(versions.GENERATION, versions.new_generation(), versions.FOREVER)
    elif len(found) == len(raw) + 2 and (shared or current != local.generation):
        # Only with every value there: a live part's version not started yet is started
        # when the part is rendered, which bumps nothing.
        pages.put(key, Checked(entry, current, found))
    return entry, found


def keep(key, entry, seconds):
    cache.set_many({key: entry, STAMP_PREFIX + key: entry.stamp}, seconds)


def new_entry(parts, recorded, headers, now, seconds):
    encoded = tuple(part.encode() if isinstance(part, str) else part for part in parts)
    digest = hashlib.md5(usedforsecurity=False)
    for part in encoded:
        if isinstance(part, bytes):
            digest.update(part)
    return Entry(
        parts=encoded,
        versions=recorded,
        headers=headers,
        modified=now,
        expires=now + seconds,
        etag=digest.hexdigest(),
        stamp=secrets.token_hex(8),
    )


def _md5(data):
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _etag(entry, live_etags):
    if not live_etags:
        return entry.etag
    return _md5("".join((entry.etag, *live_etags)).encode())


def filled(entry, lives):
    """``(body, etag)`` of a page just kept, its live parts as this rendering made them."""
    htmls = iter(html.encode() for html in lives)
    chunks = [part if type(part) is not fragments.Live else next(htmls) for part in entry.parts]
    live_etags = [
        _md5(chunk)
        for chunk, part in zip(chunks, entry.parts, strict=True)
        if type(part) is fragments.Live
    ]
    return b"".join(chunks), _etag(entry, live_etags)


def assemble(request, entry, found, now, render=True):
    """
    ``(body, etag, last_modified, expires)`` of a kept page with its live parts
    put in; None when a live part must be rendered again and ``render`` is off.
    """
    chunks, live_etags, modified, expires = [], [], entry.modified, entry.expires
    for part in entry.parts:
        if type(part) is not fragments.Live:
            chunks.append(part)
            continue
        copy = _live_copy(request, part, found, now, render)
        if copy is None:
            return None
        chunks.append(copy.html)
        live_etags.append(copy.etag)
        modified = max(modified, copy.modified)
        expires = min(expires, copy.expires)
    return b"".join(chunks), _etag(entry, live_etags), modified, expires


def _live_copy(request, live, found, now, render):
    values = tuple(found.get(versions.cache_key(k)) for k in live.keys)
    copy = _current_copy(request, live, values, now)
    if copy is not None or not render:
        return copy
    if None in values:
        # Never read before (a fresh cache): started now, so the copy can be kept.
        current = versions.read(live.keys)
        values = tuple(current[k] for k in live.keys)
    return _new_copy(request, live, values, now, _render(request, live.template))


def live_html(request, live, render):
    """
    The HTML of ``live`` in a page being rendered: this process's copy while
    the versions of its keys are unchanged (one ``get_many``), else what
    ``render`` makes, kept as the copy the page cache's hits use too.
    """
    now = time.time()
    current = _live_versions(request, live.keys)
    values = tuple(current[k] for k in live.keys)
    copy = _current_copy(request, live, values, now)
    if copy is not None:
        return copy.html.decode()
    html = render()
    # Kept only when the next publish time is known without a query: a page's
    # query count does not depend on whether its header was kept.
    seconds = fragments.seconds_until_known_next_publish(fragments.MAX_SECONDS)
    if seconds is not None:
        _new_copy(request, live, values, now, html, seconds)
    return html


# The dependency keys of every live part this process has put in a page.
_live_keys_seen = set()


def _live_versions(request, keys):
    """
    The versions of ``keys``: the first live part of a request reads those of
    every live part the process has seen (header and sidebar in one
    ``get_many``), and the next ones use that read. Read before either is
    rendered, so a change meanwhile only makes the next request render again.
    """
    known = getattr(request, "_pagecache_live_versions", None)
    if known is not None and all(key in known for key in keys):
        return known
    _live_keys_seen.update(keys)
    known = versions.read(frozenset(_live_keys_seen))
    request._pagecache_live_versions = known
    return known


def _copy_name(request, live):
    return (live.template, request.path if live.per_path else "")


def _current_copy(request, live, values, now):
    copy = live_parts.get(_copy_name(request, live))
    if copy is not None and copy.values == values and copy.expires > now:
        return copy
    return None


def _new_copy(request, live, values, now, html, seconds=None):
    if seconds is None:
        seconds = fragments.seconds_until_next_publish(fragments.MAX_SECONDS)
    html = html.encode()
    copy = LiveCopy(
        values=values,
        expires=now + seconds,
        html=html,
        etag=_md5(html),
        modified=now,
    )
    # Versions read before rendering: a change meanwhile makes the next hit render again.
    live_parts.put(_copy_name(request, live), copy)
    return copy


@dataclass(frozen=True, slots=True)
class Answer:
    """What a kept page answers: its bytes and every header."""

    entry: Entry
    body: bytes
    headers: list
    etag: str
    modified: float


def lookup(request, key, now, render=True, generation=None):
    """
    The answer kept for ``request`` (under ``key``, its ``page_key``) if it is
    still current, else None. With ``render`` off (before Django's handler,
    ``wsgi.py``), a live part that must be rendered again makes it None too.
    """
    found = find(key, now, generation)
    if found is None:
        return None
    entry, values = found
    assembled = assemble(request, entry, values, now, render)
    if assembled is None:
        return None
    return answer(entry, *assembled, hit=True)


def answer(entry, body, etag, modified, expires, hit):
    seconds = max(0, int(expires - time.time()))
    headers = [
        *entry.headers,
        ("Content-Length", str(len(body))),
        ("ETag", f'"{etag}"'),
        ("Last-Modified", http_date(modified)),
        ("Cache-Control", f"public, max-age={seconds}"),
        ("X-Accel-Expires", str(seconds)),
    ]
    if settings.BLOG_PAGE_CACHE_DEBUG:
        headers.append(("X-Cache", "hit" if hit else "miss"))
    return Answer(entry, body, headers, etag, modified)


def not_modified(meta, answer):
    """Whether the request's ``If-None-Match`` or ``If-Modified-Since`` matches ``answer``."""
    if_none_match = meta.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # A weak comparison, as RFC 9110 asks for If-None-Match.
        tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
        return "*" in tags or f'"{answer.etag}"' in tags
    since = meta.get("HTTP_IF_MODIFIED_SINCE")
    if since is None:
        return False
    since = parse_http_date_safe(since)
    return since is not None and int(answer.modified) <= since


# Headers a 304 leaves out (RFC 9110 15.4.5: it has no content).
NOT_IN_304 = {"content-length", "content-type", "content-language"}


def headers_of_304(answer):
    return [(name, value) for name, value in answer.headers if name.lower() not in NOT_IN_304]


def _render(request, template):
    with SiteSettings.request_scope():
        zone = SiteSettings.current().zone
        if zone is not None:
            timezone.activate(zone)
        try:
            return render_to_string(template, request=request)
        finally:
            if zone is not None:
                timezone.deactivate()
