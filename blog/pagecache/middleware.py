"""
The full-page cache for anonymous readers, on Django's cache framework.

A page is kept when an anonymous reader's GET answers 200 with HTML from a
view whose context says what it shows (``deps.from_context``): an article, a
page, or a list of posts. It is kept with the versions of its dependency keys
and served again only while all of them are unchanged (one ``get_many``) and
before it expires by itself: at most ``BLOG_PAGE_CACHE_SECONDS``, never past
the next scheduled publish time, nor past the moment the site's age limit
closes comments on a post it shows. The header menu and the sidebar are put
in afresh on each hit (``fragments.py``), each from its own cache.

Never shared: requests other than GET/HEAD; readers whose session holds
anything (logged in, a pending comment of their own, an unlocked post);
readers with a flash message waiting; a query string other than ``cpage``
and ``q`` (the page number is in the path). Those answers, and every other
HTML answer that is not kept, say ``Cache-Control: private``.

Cached answers carry an ETag and Last-Modified and answer ``If-None-Match``
and ``If-Modified-Since`` with 304, plus ``Cache-Control: public, max-age=N``
and ``X-Accel-Expires: N`` (N: the seconds the page may still be kept), so a
shared front cache (nginx) may hold them as long and no longer. With
``BLOG_PAGE_CACHE_DEBUG`` on, ``X-Cache: hit|miss`` says which it was.
"""

import hashlib
import time
from email.utils import formatdate

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers

from blog.sitesettings.models import SiteSettings

from . import deps, fragments, versions

KEY_PREFIX = "pc:page:"
ALLOWED_PARAMS = {"cpage", "q"}
# Headers of the rendered answer that are kept with it; others (Date, ...) are made anew.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "X-Robots-Tag", "Link")


def _page_key(request):
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.BLOG_PAGE_CACHE:
            return self.get_response(request)
        started = time.time()
        if not self._shareable(request):
            return self._private(self.get_response(request))
        key = _page_key(request)
        entry = cache.get(key)
        if entry is not None and entry["expires"] > started:
            ok, _ = versions.still_current(entry["versions"])
            if ok:
                return self._serve(request, entry, hit=True)
        request._pagecache_deps = None
        response = self.get_response(request)
        return self._store(request, key, response, started)

    def process_template_response(self, request, response):
        if hasattr(request, "_pagecache_deps") and response.status_code == 200:
            request._pagecache_deps = deps.from_context(response.context_data)
        return response

    # Who may share.

    def _shareable(self, request):
        if request.method not in ("GET", "HEAD"):
            return False
        if set(request.GET) - ALLOWED_PARAMS:
            return False
        if "messages" in request.COOKIES:
            return False
        # Anything in the session (a login, one's own pending comment, an
        # unlocked post) makes the page this reader's own.
        return not (settings.SESSION_COOKIE_NAME in request.COOKIES and request.session.keys())

    def _private(self, response):
        if response.get("Content-Type", "").startswith("text/html"):
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private"
            patch_vary_headers(response, ["Cookie"])
        return response

    # Keeping.

    def _store(self, request, key, response, started):
        found = getattr(request, "_pagecache_deps", None)
        if (
            found is None
            or response.status_code != 200
            or response.streaming
            or response.cookies
            or response.has_header("Cache-Control")
            or not response.get("Content-Type", "").startswith("text/html")
            or getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            return self._private(response)
        keys, closes_at = found
        recorded = versions.read(keys, started)
        if any(version > started for version in recorded.values()):
            # Something it shows changed while it rendered: serve it, keep nothing.
            return self._private(response)
        now = time.time()
        seconds = fragments.seconds_until_next_publish(settings.BLOG_PAGE_CACHE_SECONDS)
        if closes_at is not None:
            seconds = max(1, min(seconds, int((closes_at - timezone.now()).total_seconds())))
        entry = {
            "versions": recorded,
            "parts": fragments.split(response.content.decode(response.charset)),
            "headers": {h: response[h] for h in KEPT_HEADERS if response.has_header(h)},
            "modified": now,
            "expires": now + seconds,
        }
        cache.set(key, entry, seconds)
        return self._serve(request, entry, hit=False, body=response.content)

    # Serving.

    def _assemble(self, request, parts):
        if all(isinstance(part, str) for part in parts):
            return "".join(parts)
        with SiteSettings.request_scope():
            zone = SiteSettings.current().zone
            if zone is not None:
                timezone.activate(zone)
            try:
                return "".join(
                    part
                    if isinstance(part, str)
                    else fragments.LIVE_START.format(part[0])
                    + render_to_string(part[0], request=request)
                    + fragments.LIVE_END
                    for part in parts
                )
            finally:
                if zone is not None:
                    timezone.deactivate()

    def _serve(self, request, entry, hit, body=None):
        if body is None:
            body = self._assemble(request, entry["parts"]).encode()
        response = HttpResponse(body if request.method != "HEAD" else b"")
        for name, value in entry["headers"].items():
            response[name] = value
        response["Content-Length"] = str(len(body))
        response["ETag"] = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
        response["Last-Modified"] = formatdate(entry["modified"], usegmt=True)
        seconds = max(0, int(entry["expires"] - time.time()))
        response["Cache-Control"] = f"public, max-age={seconds}"
        response["X-Accel-Expires"] = str(seconds)
        patch_vary_headers(response, ["Cookie"])
        if settings.BLOG_PAGE_CACHE_DEBUG:
            response["X-Cache"] = "hit" if hit else "miss"
        conditional = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(entry["modified"]),
            response=response,
        )
        return conditional
