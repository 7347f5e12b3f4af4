"""
Dependency versions: the heart of the page cache's exact invalidation.

A cached page records the dependency keys it showed (``post:12``,
``comments:12``, ``list:category:3``, ``settings``...) and the version each
had when the page was rendered. A version is the time of the key's last
change, kept in Django's cache under ``pc:v:<key>``; a change *bumps* its keys
(sets them to now), so every page that recorded an older version is stale
and the next request renders it afresh. Pages that showed none of the bumped
keys stay cached.

Races: versions are read after the page was rendered, so a change that
committed while it rendered could be missed. The request's start time
guards against that: a page whose keys show a change after the request
began is not stored. A key missing from the cache (evicted, or a fresh
cache) is started at the request's start time, never at an old value an
earlier page could have recorded.

Every bump also gives the *generation* (``pc:generation``) a new random value,
in the same write as the versions. A process that found a page current under
one generation knows it is still current while the generation has not
changed: a hit reads that one small value instead of every version the page
recorded (``store.find``).
"""

import contextlib
import contextvars
import secrets
import time

from django.core.cache import cache
from django.db import transaction

from . import front

PREFIX = "pc:v:"
# Sidebar fragments and everything else keep no version forever: a bump is
# what ends them. Versions themselves never expire (an evicted one restarts).
FOREVER = None


GENERATION = "pc:generation"


def cache_key(key):
    return f"{PREFIX}{key}"


def ask_generation():
    """
    The generation (None in a fresh or emptied cache), asked for now and read
    by calling what this returns: a hit looks at its request during the round
    trip to Redis.
    """
    # ResilientRedisCache (production): one bare GET, see blog/cache.py.
    ask_int = getattr(cache, "ask_int", None)
    if ask_int is not None:
        return ask_int(GENERATION)
    return lambda: cache.get(GENERATION)


def new_generation():
    # Random rather than a counter: an evicted counter could come back to an old value.
    # An int, which Django's Redis cache keeps as it is (``ask_int`` reads it unpickled).
    return secrets.randbits(62)


# Every cached page records "settings" and the sidebar fragment "sidebar":
# bumping both makes everything fresh.
EVERYTHING = ("settings", "sidebar")
_held = contextvars.ContextVar("pagecache_held", default=False)
# When the request being served began (PageCacheMiddleware): versions missing from the
# cache start then, so nothing read during the request looks newer than the request.
_request_started = contextvars.ContextVar("pagecache_request_started", default=None)


@contextlib.contextmanager
def request_started(at):
    token = _request_started.set(at)
    try:
        yield
    finally:
        _request_started.reset(token)


def held():
    """Whether per-object changes are being skipped for one bump at the end."""
    return _held.get()


@contextlib.contextmanager
def bulk_change(using=None):
    """
    For work that changes thousands of rows at once (an import): the signal
    receivers skip working out what each row's change reaches, and every page
    is made fresh once, at the end.
    """
    from . import deps  # deps reads versions

    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)
        bump(EVERYTHING, using=using)
        # Scheduled posts may have come in: the next publish time is read afresh.
        deps.forget_next_publish()
        transaction.on_commit(deps.forget_next_publish, using=using)


def bump(keys, using=None):
    """
    Mark ``keys`` changed: now, for the rest of this transaction, and again on
    commit, so a page rendered from the old rows meanwhile is not kept.
    """
    if held():
        return
    keys = {k for k in keys if k}
    if not keys:
        return

    def write():
        now = time.time()
        # One write (MSET on Redis): no reader sees the new generation with old versions.
        changed = {cache_key(k): now for k in keys}
        cache.set_many({**changed, GENERATION: new_generation()}, FOREVER)

    def committed():
        write()
        # The nginx front drops its copies only once the new rows can be read.
        front.purge(keys)

    write()
    transaction.on_commit(committed, using=using)


def read(keys, started=None):
    """
    ``{key: version}`` for ``keys``; missing ones start when the request
    being served began, else at ``started``, else now.
    """
    keys = list(dict.fromkeys(keys))
    found = cache.get_many([cache_key(k) for k in keys])
    versions = {k: found.get(cache_key(k)) for k in keys}
    missing = [k for k, v in versions.items() if v is None]
    if missing:
        start = _request_started.get() or started or time.time()
        for key in missing:
            cache.add(cache_key(key), start, FOREVER)
        again = cache.get_many([cache_key(k) for k in missing])
        for key in missing:
            versions[key] = again.get(cache_key(key), start)
    return versions


def still_current(recorded, extra=()):
    """
    ``(ok, values)``: whether every recorded version is unchanged, read with
    one ``get_many`` together with the ``extra`` raw cache keys (``values``).
    """
    wanted = [cache_key(k) for k in recorded] + list(extra)
    found = cache.get_many(wanted)
    ok = all(found.get(cache_key(k)) == v for k, v in recorded.items())
    return ok, found
