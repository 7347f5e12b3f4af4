"""
Kept pages answered before Django's handler (blog/pagecache/wsgi.py): the
production WSGI application serves a current kept page itself and hands
everything else to Django.
"""

import io
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from blog import wsgi
from blog.pagecache import versions
from tests.factories import PostFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]


class Handler:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return wsgi.django_application(environ, start_response)


@pytest.fixture
def app(monkeypatch):
    handler = Handler()
    monkeypatch.setattr(wsgi.application, "application", handler)
    # As Django's test client does: the handler must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield wsgi.application, handler
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call(app, path, method="GET", **headers):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered["status"], answered["headers"] = status, dict(headers)

    chunks = app(environ, start_response)
    body = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    return answered["status"], answered["headers"], body


@pytest.fixture
def article():
    return PostFactory(title="WhatsApp crashes")


def test_a_kept_page_is_answered_without_djangos_handler(app, article, django_assert_num_queries):
    application, handler = app
    url = article.get_absolute_url()
    status, headers, first = call(application, url)
    assert (status, headers["X-Cache"], handler.calls) == ("200 OK", "miss", 1)
    call(application, url)  # The header and sidebar copies are made on the first hit.

    with django_assert_num_queries(0):
        status, headers, again = call(application, url)

    assert (status, headers["X-Cache"]) == ("200 OK", "hit")
    assert handler.calls == 2
    assert again == first
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    # The headers the middleware set when the page was kept come with it.
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in headers


def test_a_change_sends_the_request_to_django(app, article):
    application, handler = app
    url = article.get_absolute_url()
    call(application, url)
    call(application, url)

    article.title = "WhatsApp is back"
    article.save()
    status, headers, body = call(application, url)

    assert handler.calls == 3
    assert headers["X-Cache"] == "miss"
    assert b"WhatsApp is back" in body


def test_a_sidebar_to_render_again_is_left_to_the_middleware(app, article):
    application, handler = app
    url = article.get_absolute_url()
    call(application, url)
    call(application, url)

    versions.bump({"sidebar"})
    status, headers, _ = call(application, url)

    # Django's middleware renders the sidebar afresh and serves the kept page.
    assert (handler.calls, headers["X-Cache"]) == (3, "hit")
    call(application, url)
    assert handler.calls == 3


def test_readers_with_a_session_cookie_go_to_django(app, article):
    application, handler = app
    url = article.get_absolute_url()
    call(application, url)
    call(application, url)

    call(application, url, cookie="sessionid=whatever")

    assert handler.calls == 3


def test_conditional_and_head_requests(app, article):
    application, handler = app
    url = article.get_absolute_url()
    call(application, url)
    _, headers, body = call(application, url)

    status, again, empty = call(application, url, if_none_match=headers["ETag"])
    assert (status, empty) == ("304 Not Modified", b"")
    assert "Content-Length" not in again
    status, head, empty = call(application, url, method="HEAD")
    assert (status, empty, head["Content-Length"]) == ("200 OK", b"", str(len(body)))
    assert handler.calls == 2


class CacheReads:
    """The shared cache, counting the values each hit reads from it."""

    def __init__(self, cache, monkeypatch):
        self.values = 0
        for name in ("get", "get_many"):
            real = getattr(cache, name)
            monkeypatch.setattr(cache, name, self._counting(real))

    def _counting(self, real):
        def read(keys_or_key, *args, **kwargs):
            self.values += len(keys_or_key) if isinstance(keys_or_key, list) else 1
            return real(keys_or_key, *args, **kwargs)

        return read


def test_while_nothing_changes_a_hit_reads_one_value(app, article, page_cache, monkeypatch):
    application, handler = app
    url = article.get_absolute_url()
    for _ in range(3):
        call(application, url)
    reads = CacheReads(page_cache, monkeypatch)

    status, headers, _ = call(application, url)

    # The generation alone, not the dozen versions the page and its live parts showed.
    assert (status, headers["X-Cache"], reads.values) == ("200 OK", "hit", 1)


def test_a_change_elsewhere_costs_one_full_check_and_keeps_the_page(
    app, article, page_cache, monkeypatch
):
    application, handler = app
    url = article.get_absolute_url()
    for _ in range(3):
        _, _, before = call(application, url)
    versions.bump({"post:999999"})  # Something this page does not show.
    reads, calls = CacheReads(page_cache, monkeypatch), handler.calls

    status, headers, after = call(application, url)
    checked = reads.values
    call(application, url)

    assert (headers["X-Cache"], after, handler.calls) == ("hit", before, calls)
    assert checked > 5  # Every version it recorded, once...
    assert reads.values == checked + 1  # ...then the generation again.
