"""
Telling the nginx front (deploy/nginx.conf) to drop the pages a change reaches.

nginx keeps a page the app marks as shareable for as long as its
``X-Accel-Expires`` says. For it to be as exact as the app's own cache, each
shareable answer that went through the front is remembered under every
dependency key it showed (a Redis set per key, ``pc:front:<key>``, of
``host + request URI``: nginx's cache key), and a change purges, once it is
committed, every address remembered under the keys it bumps
(``versions.bump``), through the purge port of each front listed in
``BLOG_FRONT_PURGE`` (libnginx-mod-http-cache-purge). Without it, nothing is
remembered and nginx keeps a page until its expiry runs out.

The sets expire a little after the longest a page is kept, and each answer
through the front renews them, so an address is remembered as long as nginx
may hold it. With a cache other than Redis (local development) the sets live
in this process's memory.
"""

import http.client
import logging
import threading
from collections import defaultdict
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from blog.cache import UNAVAILABLE

logger = logging.getLogger(__name__)

PREFIX = "pc:front:"
TIMEOUT = 2
_local_sets = defaultdict(set)
_local_lock = threading.Lock()


def enabled():
    return bool(settings.BLOG_FRONT_PURGE)


def _redis():
    """The Redis client of Django's cache, or None for another backend."""
    client = getattr(cache, "_cache", None)
    if client is None or not hasattr(client, "get_client"):
        return None
    return client.get_client(write=True)


def _redis_down():
    # blog/cache.py's circuit breaker: while it holds Redis for down, don't wait on it.
    breaker = getattr(cache, "_breaker", None)
    return breaker is not None and breaker.down_since is not None


def _set_key(key):
    return cache.make_key(PREFIX + key)


def remember(request, keys):
    """Remember that the front may now hold this answer, under each of ``keys``."""
    if not enabled() or "HTTP_X_FORWARDED_FOR" not in request.META or _redis_down():
        return
    address = request.get_host() + (request.META.get("RAW_URI") or request.get_full_path())
    seconds = settings.BLOG_PAGE_CACHE_SECONDS + 60
    redis = _redis()
    if redis is None:
        with _local_lock:
            for key in keys:
                _local_sets[key].add(address)
        return
    try:
        with redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.sadd(_set_key(key), address)
                pipe.expire(_set_key(key), seconds)
            pipe.execute()
    except UNAVAILABLE as error:
        # nginx keeps this answer until its X-Accel-Expires at most.
        logger.warning("Redis unreachable: %s is not remembered for purging (%s)", address, error)


def _take(keys):
    """The addresses remembered under ``keys``, forgotten as they are taken."""
    redis = _redis()
    if redis is None:
        with _local_lock:
            return set().union(*(_local_sets.pop(key, set()) for key in keys))
    try:
        with redis.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.smembers(_set_key(key))
            for key in keys:
                pipe.delete(_set_key(key))
            results = pipe.execute()
    except UNAVAILABLE as error:
        logger.warning("Redis unreachable: nothing purged from the front (%s)", error)
        return set()
    return {member.decode() for found in results[: len(keys)] for member in found}


def purge(keys):
    """Purge every address remembered under ``keys`` from every front (after a commit)."""
    if not enabled() or _redis_down():
        return
    addresses = _take(list(keys))
    if not addresses:
        return
    for endpoint in settings.BLOG_FRONT_PURGE:
        _purge_at(endpoint, addresses)


def _purge_at(endpoint, addresses):
    parts = urlsplit(endpoint)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=TIMEOUT)
    try:
        for address in sorted(addresses):
            host, _, uri = address.partition("/")
            connection.request("GET", "/" + uri, headers={"Host": host})
            response = connection.getresponse()
            response.read()
            # 200: purged; 404: nginx held no copy (expired, or never stored).
            if response.status not in (200, 404):
                logger.warning("Purging %s at %s answered %s", address, endpoint, response.status)
    except OSError as error:
        logger.warning("The front at %s could not be told to purge: %s", endpoint, error)
    finally:
        connection.close()


def forget_all():
    """Tests: forget what this process remembered."""
    with _local_lock:
        _local_sets.clear()
