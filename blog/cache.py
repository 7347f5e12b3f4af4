"""
A Redis cache that degrades instead of failing (production's cache backend).

Django's RedisCache raises when Redis is unreachable, and redis-py waits 5 s
for a Redis that accepts connections but never answers: every page (the site
settings, the page cache, menus are all read from the cache) answered 500, or
hung. ``ResilientRedisCache`` treats an unreachable or silent Redis as an
empty cache that keeps nothing:

- reads are misses (``get`` gives the default, ``get_many`` nothing, ``incr``
  raises ValueError as for a missing key), writes are no-ops (``add`` gives
  False, ``set_many`` names every key as not set), so every page is rendered
  from the database;
- a circuit breaker: after one failure nothing is sent to Redis for
  ``RETRY_AFTER`` seconds (shared by the threads of a process), so a hanging
  Redis costs one socket timeout per few seconds, not one per call;
- one warning when Redis goes away, one a minute while it stays away, and one
  when it answers again (``blog.cache`` logger);
- lost invalidations: a write that did not reach Redis (a page cache version
  bump, a forgotten site settings or menu entry...) may leave a stale value
  there, kept forever. So when any write was lost, the cache is emptied the
  moment Redis answers again, before anything is read from it. Only a write
  that cannot leave a stale value (``add``, ``touch``) is not counted as lost.
  Emptying is FLUSHDB of this cache's Redis database (or, with a KEY_PREFIX,
  only this cache's keys): give the blog a Redis database of its own.

The loss is remembered per process: a worker restarted while Redis is away
forgets its lost writes; the pages it would have invalidated still expire by
themselves (BLOG_PAGE_CACHE_SECONDS).
"""

import logging
import os
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What an unreachable, refusing, restarting or silent Redis raises. Anything
# else (a wrong command, a full Redis refusing writes) is a bug to see, not hide.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# Seconds between the "still unreachable" warnings of one process.
LOG_EVERY = 60

# Sent (sender: the cache backend, ``lost_writes``: how many) once Redis answers
# again after writes were lost and the cache has been emptied: for whatever else
# kept copies of cached pages meanwhile (a front cache to purge).
emptied_after_outage = Signal()


class _Breaker:
    """The state of one Redis location in this process, shared by its threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None  # monotonic time of the first failure, None while up
        self.retry_at = 0.0  # no call reaches Redis before this monotonic time
        self.logged_at = 0.0
        self.lost_writes = 0


_breakers = {}
_breakers_lock = threading.Lock()


def _breaker_for(location):
    with _breakers_lock:
        return _breakers.setdefault(location, _Breaker())


def reset_breakers():
    """Forget every outage (tests)."""
    with _breakers_lock:
        _breakers.clear()


class ReusedClientRedisCacheClient(RedisCacheClient):
    """
    Django builds a new redis-py client object on every cache call, and
    building one sets up ~170 response callbacks (about a tenth of a page
    cache hit). One client per connection pool is enough: they are safe to
    share between threads.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self._location = ",".join(self._servers)
        self._breaker = _breaker_for(self._location)
        # Each thread's own connection for ``ask_int`` (``pid``: not one inherited over a fork).
        self._held = threading.local()

    def validate_key(self, key):
        # The base class warns about keys memcached would refuse (over 250 characters,
        # spaces, control characters): Redis takes any key, and checking each
        # character costs about a fifth of a page cache hit (some 25 keys).
        pass

    # The guard around every operation.

    def _call(self, method, args, kwargs, fallback, write):
        breaker = self._breaker
        if breaker.down_since is not None and not self._recover(write):
            return fallback() if callable(fallback) else fallback
        try:
            return method(*args, **kwargs)
        except UNAVAILABLE as error:
            self._failed(error, write)
            return fallback() if callable(fallback) else fallback

    def _failed(self, error, write):
        breaker = self._breaker
        now = time.monotonic()
        with breaker.lock:
            breaker.lost_writes += write
            breaker.retry_at = now + self.retry_after
            if breaker.down_since is None:
                breaker.down_since = now
                breaker.logged_at = now
                logger.warning(
                    "Redis cache at %s unreachable (%s: %s): serving every page uncached "
                    "from the database, trying Redis again every %g s",
                    self._location,
                    type(error).__name__,
                    error,
                    self.retry_after,
                )
            elif now - breaker.logged_at >= LOG_EVERY:
                breaker.logged_at = now
                logger.warning(
                    "Redis cache at %s still unreachable after %d s (%s); %d writes lost",
                    self._location,
                    now - breaker.down_since,
                    error,
                    breaker.lost_writes,
                )

    def _recover(self, write):
        """
        While Redis is marked down: whether this call may go to Redis. One
        thread at a time, once ``retry_at`` has passed, probes it; the others
        carry on without the cache meanwhile.
        """
        breaker = self._breaker
        if time.monotonic() < breaker.retry_at or not breaker.lock.acquire(blocking=False):
            breaker.lost_writes += write
            return False
        try:
            if breaker.down_since is None:  # Another thread has just recovered it.
                return True
            client = self._cache.get_client(None, write=True)
            lost = breaker.lost_writes
            try:
                if lost:
                    # Stale values may be there: nothing is read before they are gone.
                    emptied = self._empty(client)
                else:
                    client.ping()
            except UNAVAILABLE as error:
                breaker.retry_at = time.monotonic() + self.retry_after
                breaker.lost_writes += write
                if time.monotonic() - breaker.logged_at >= LOG_EVERY:
                    breaker.logged_at = time.monotonic()
                    logger.warning(
                        "Redis cache at %s still unreachable (%s)", self._location, error
                    )
                return False
            outage = time.monotonic() - breaker.down_since
            if lost:
                logger.warning(
                    "Redis cache at %s answers again after %.1f s; %d writes were lost, "
                    "so it was emptied (%s)",
                    self._location,
                    outage,
                    lost,
                    emptied,
                )
            else:
                logger.warning(
                    "Redis cache at %s answers again after %.1f s", self._location, outage
                )
            # Writes skipped by other threads while this one emptied it are
            # lost too: those keep it marked down for one more emptying.
            breaker.lost_writes -= lost
            if breaker.lost_writes:
                breaker.retry_at = 0.0
                return False
            breaker.down_since = None
        finally:
            breaker.lock.release()
        if lost:
            emptied_after_outage.send(sender=self.__class__, lost_writes=lost)
        return True

    def _empty(self, client):
        if self.key_prefix:
            # Only this cache's keys (make_key: "<prefix>:<version>:<key>").
            pattern = f"{self.key_prefix}:*"
            count = 0
            for key in client.scan_iter(match=pattern, count=1000):
                count += client.delete(key)
            return f"{count} keys matching {pattern!r} deleted"
        client.flushdb()
        return "FLUSHDB"

    # Reads: a miss.

    def get(self, *args, **kwargs):
        default = kwargs.get("default", args[1] if len(args) > 1 else None)
        # Wrapped: a default that is itself callable is given back, not called.
        return self._call(super().get, args, kwargs, lambda: default, write=False)

    def get_many(self, *args, **kwargs):
        return self._call(super().get_many, args, kwargs, dict, write=False)

    def ask_int(self, key):
        """
        An int kept with ``set``/``set_many`` (Django keeps ints unpickled), or
        None, in two steps: the GET is sent now and the function returned
        reads its answer, so the caller can do its own work during the round
        trip (the page cache's generation, read on every hit). It goes over
        this thread's own connection, without the pool and the client's
        command machinery, which cost about as much again as the round trip
        itself. An answer never read is skipped before the next command.
        """
        return self._ask(self.make_key(key))

    def _ask(self, key):
        sent = self._call(self._send_get, (key,), {}, None, write=False)

        def answer():
            if sent is None:
                return None
            if sent != self._held.asked or not self._held.pending:
                # Another GET was sent on this connection since: ask again.
                return self._ask(key)()
            return self._call(self._read_int, (key,), {}, None, write=False)

        return answer

    def _connection(self):
        held = self._held
        if getattr(held, "connection", None) is None or held.pid != os.getpid():
            pool = self._cache._get_connection_pool(write=False)
            held.connection, held.pid = pool.make_connection(), os.getpid()
            held.pending, held.asked = False, getattr(held, "asked", 0)
        return held.connection

    def _drop_connection(self):
        connection, self._held.connection = self._held.connection, None
        if connection is not None:
            connection.disconnect()

    def _send_get(self, key):
        for attempt in (1, 2):
            connection = self._connection()
            try:
                if self._held.pending:
                    connection.read_response()  # An answer nobody read.
                connection.send_command("GET", key, check_health=False)
            except UNAVAILABLE as error:
                self._drop_connection()
                if attempt == 2 or not isinstance(error, RedisConnectionError):
                    raise
                continue  # A connection Redis has since closed (a restart): a fresh one.
            self._held.pending = True
            self._held.asked += 1
            return self._held.asked

    def _read_int(self, key):
        try:
            value = self._held.connection.read_response()
        except UNAVAILABLE as error:
            self._drop_connection()
            if not isinstance(error, RedisConnectionError):
                raise  # Silent: the breaker's to handle, not worth a second wait.
            self._send_get(key)  # As above: once more, on a fresh connection.
            value = self._held.connection.read_response()
        self._held.pending = False
        return None if value is None else int(value)

    def has_key(self, *args, **kwargs):
        return self._call(super().has_key, args, kwargs, False, write=False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found: the cache is unreachable.")

        return self._call(super().incr, (key, delta, version), {}, missing, write=True)

    # Writes: nothing kept. A lost one empties the cache when Redis is back.

    def set(self, *args, **kwargs):
        return self._call(super().set, args, kwargs, None, write=True)

    def set_many(self, data, *args, **kwargs):
        return self._call(super().set_many, (data, *args), kwargs, lambda: list(data), write=True)

    def delete(self, *args, **kwargs):
        return self._call(super().delete, args, kwargs, False, write=True)

    def delete_many(self, *args, **kwargs):
        return self._call(super().delete_many, args, kwargs, None, write=True)

    def clear(self):
        return self._call(super().clear, (), {}, False, write=True)

    # Writes that cannot leave a stale value behind when they are lost.

    def add(self, *args, **kwargs):
        return self._call(super().add, args, kwargs, False, write=False)

    def touch(self, *args, **kwargs):
        return self._call(super().touch, args, kwargs, False, write=False)
