"""
Kept pages served before Django's handler, as WhiteNoise serves static files.

``blog/wsgi.py`` wraps Django's WSGI application in ``PageCacheApplication``:
a request whose kept page is current (``store.lookup``, the same check as the
middleware's) is answered here, with no request handling, middleware or
response object; everything else goes on to Django, whose
``PageCacheMiddleware`` keeps pages and also serves the hits this layer
leaves to it: readers with a session cookie (whether the session holds
anything is the middleware's to read) and pages whose header or sidebar must
be rendered again.
"""

import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest

from . import front, store, versions
from .middleware import shareable_by_request, skipped


class PageCacheApplication:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        answer = self._kept(environ)
        if answer is None:
            return self.application(environ, start_response)
        if store.not_modified(environ, answer):
            start_response("304 Not Modified", store.headers_of_304(answer))
            return []
        start_response("200 OK", answer.headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else answer.body]

    def _kept(self, environ):
        if not settings.BLOG_PAGE_CACHE or environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            return None
        # Readers who may have a session are the middleware's (which asks Redis itself);
        # the name anywhere in the header is enough to leave it to it.
        if settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
            return None
        # Asked before the request is looked at: Redis answers meanwhile.
        generation = versions.ask_generation()
        request = WSGIRequest(environ)
        if skipped(request) or not shareable_by_request(request):
            return None
        try:
            key = store.page_key(request)
            answer = store.lookup(request, key, time.time(), render=False, generation=generation)
        except DisallowedHost:
            return None  # Django answers it (400).
        if answer is not None:
            front.remember(request, answer.entry.versions)
        return answer
