"""
The full-page cache for anonymous readers, on Django's cache framework.

A page is kept when an anonymous reader's GET answers 200 with HTML from a
view whose context says what it shows (``deps.from_context``): an article, a
page, or a list of posts; and so is a post feed, which says it itself
(``deps.record``). It is kept with the versions of its dependency keys
and served again only while all of them are unchanged and before it expires
by itself: at most ``BLOG_PAGE_CACHE_SECONDS``, never past the next scheduled
publish time, nor past the moment the site's age limit closes comments on a
post it shows. The header menu and the sidebar are kept apart and put in on
each hit (``fragments.py``, ``store.py``).

First in ``MIDDLEWARE``: a hit runs no other middleware, so the kept answer
holds every header the others set (security, CSP, frame options...).

Never shared: requests other than GET/HEAD; readers whose session holds
anything (logged in, a pending comment of their own, an unlocked post);
readers with a flash message waiting; a query string other than ``cpage``
and ``q`` (the page number is in the path). Those answers, and every other
HTML answer that is not kept, say ``Cache-Control: private``.

Kept answers carry an ETag and Last-Modified and answer ``If-None-Match``
and ``If-Modified-Since`` with 304, plus ``Cache-Control: public, max-age=N``
and ``X-Accel-Expires: N`` (N: the seconds the page may still be kept), so a
shared front cache (nginx) may hold them as long and no longer; with
``BLOG_FRONT_PURGE`` set, the front is also told to drop them when they change
(``front.py``). With ``BLOG_PAGE_CACHE_DEBUG`` on, ``X-Cache: hit|miss`` says
which it was.
"""

import time
from importlib import import_module

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from . import deps, fragments, front, store, versions

ALLOWED_PARAMS = {"cpage", "q"}
# Pages, and the post feeds (which say what they showed with ``deps.record``).
KEPT_TYPES = ("text/html", "application/rss+xml", "application/atom+xml")
# Headers made anew for each answer rather than kept with the page.
NOT_KEPT = {
    "content-length",
    "date",
    "etag",
    "last-modified",
    "cache-control",
    "expires",
    "x-accel-expires",
    "set-cookie",
    "x-cache",
}


def skipped(request):
    """Static files and uploads are no pages."""
    prefixes = tuple(p for p in (settings.STATIC_URL, settings.MEDIA_URL) if p)
    return request.path.startswith(prefixes)


def shareable_by_request(request):
    """
    Whether the request may share a page, as far as it shows without the
    session: GET or HEAD, no query string but the site's own, no message
    waiting. The session, if any, is the middleware's to read.
    """
    if request.method not in ("GET", "HEAD"):
        return False
    if request.GET and not set(request.GET) <= ALLOWED_PARAMS:
        return False
    return "messages" not in request.COOKIES


def respond(request, answer):
    """An ``HttpResponse`` (or 304) of a kept page's ``store.Answer``."""
    if store.not_modified(request.META, answer):
        response = HttpResponse(status=304, headers=store.headers_of_304(answer))
        del response["Content-Type"]
        return response
    return HttpResponse(answer.body if request.method != "HEAD" else b"", headers=answer.headers)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.sessions = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        if not settings.BLOG_PAGE_CACHE or skipped(request):
            return self.get_response(request)
        started = time.time()
        if not self._shareable(request):
            return self._private(self.get_response(request))
        key = store.page_key(request)
        answer = store.lookup(request, key, started)
        if answer is not None:
            front.remember(request, answer.entry.versions)
            return respond(request, answer)
        request._pagecache_deps = None
        request._pagecache_live = True
        with versions.request_started(started):
            response = self.get_response(request)
            return self._store(request, response, started, key)

    def process_template_response(self, request, response):
        if hasattr(request, "_pagecache_deps") and response.status_code == 200:
            request._pagecache_deps = deps.from_context(response.context_data)
        return response

    # Who may share.

    def _shareable(self, request):
        if not shareable_by_request(request):
            return False
        # Anything in the session (a login, one's own pending comment, an
        # unlocked post) makes the page this reader's own.
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        return not (session_key and self.sessions(session_key).keys())

    def _private(self, response):
        if response.get("Content-Type", "").startswith("text/html"):
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private"
            patch_vary_headers(response, ["Cookie"])
        return response

    # Keeping.

    def _store(self, request, response, started, key):
        found = getattr(request, "_pagecache_deps", None)
        if (
            found is None
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Cache-Control")
            or not response.get("Content-Type", "").startswith(KEPT_TYPES)
            or getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            return self._private(self._unmarked(request, response))
        keys, closes_at = found
        recorded = versions.read(keys, started)
        if any(version > started for version in recorded.values()):
            # Something it shows changed while it rendered: serve it, keep nothing.
            return self._private(self._unmarked(request, response))
        now = time.time()
        seconds = fragments.seconds_until_next_publish(settings.BLOG_PAGE_CACHE_SECONDS)
        if closes_at is not None:
            seconds = max(1, min(seconds, int((closes_at - timezone.now()).total_seconds())))
        parts, lives = fragments.split(response.content.decode(response.charset))
        patch_vary_headers(response, ["Cookie"])
        headers = tuple(
            (name, value) for name, value in response.items() if name.lower() not in NOT_KEPT
        )
        entry = store.new_entry(parts, recorded, headers, now, seconds)
        store.keep(key, entry, seconds)
        front.remember(request, keys)
        # The live parts were just rendered too: this answer has them as they are.
        body, etag = store.filled(entry, lives)
        return respond(request, store.answer(entry, body, etag, now, entry.expires, hit=False))

    @staticmethod
    def _unmarked(request, response):
        if (
            getattr(request, "_pagecache_live", False)
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response.content = fragments.unmark(response.content.decode(response.charset))
        return response
