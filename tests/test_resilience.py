"""
The site keeps serving when a dependency falters (issue 12, finding 5):
Redis down, Redis hanging, Redis back after lost invalidations, and the
database unreachable or restarted under a request.
"""

import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
import redis
from django.contrib import admin
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.test.client import RequestFactory

from blog import cache as resilient
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.factories import CategoryFactory, PostFactory, StaffFactory
from tests.scaleout.processes import free_port, tail

ROOT = Path(__file__).resolve().parent.parent
# A reader waits no longer than this for any page while Redis is away.
BUDGET = 1.0


def resilient_cache(settings, location, retry_after=5):
    """The production backend at ``location``, with production's timeouts."""
    resilient.reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "blog.cache.ResilientRedisCache",
            "LOCATION": location,
            "OPTIONS": {
                "socket_connect_timeout": 0.25,
                "socket_timeout": 0.25,
                "RETRY_AFTER": retry_after,
            },
        }
    }
    settings.BLOG_PAGE_CACHE = True
    settings.BLOG_PAGE_CACHE_DEBUG = True


@pytest.fixture
def redis_down(settings):
    """Redis unreachable: nothing listens on its port."""
    resilient_cache(settings, f"redis://127.0.0.1:{free_port()}/0")
    yield
    resilient.reset_breakers()


@pytest.fixture
def redis_hanging(settings):
    """Redis hanging: a server that accepts connections and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    accepted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    resilient_cache(settings, f"redis://127.0.0.1:{server.getsockname()[1]}/0")
    yield accepted
    stop.set()
    thread.join()
    for sock in [server, *accepted]:
        sock.close()
    resilient.reset_breakers()


@pytest.fixture
def site(db):
    category = CategoryFactory(name="Outages", slug="outages")
    post = PostFactory(title="The day WhatsApp went down", categories=[category], tags=["apps"])
    return post, category


def public_pages(post, category):
    return {
        post.get_absolute_url(): 200,
        "/": 200,
        category.get_absolute_url(): 200,
        "/tag/apps/": 200,
        "/feed/": 200,
        "/search/?q=WhatsApp": 200,
        "/robots.txt": 200,
        "/no-such-page/": 404,
        "/admin/login/": 200,
    }


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


@pytest.mark.parametrize("outage", ["redis_down", "redis_hanging"])
def test_every_public_page_answers_within_a_second_without_redis(
    outage, request, site, client, caplog
):
    request.getfixturevalue(outage)
    post, category = site
    caplog.set_level(logging.WARNING, logger="blog.cache")
    for _ in range(2):
        for url, status in public_pages(post, category).items():
            response, seconds = timed_get(client, url)
            assert response.status_code == status, url
            assert seconds < BUDGET, f"{url} took {seconds:.2f} s"
    article = client.get(post.get_absolute_url())
    assert "The day WhatsApp went down" in article.content.decode()
    # Uncached, from the database: nothing could be kept.
    assert article["X-Cache"] == "miss"
    # One line says why, not one per request.
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 1
    assert "serving every page uncached" in warnings[0].getMessage()


def test_a_hanging_redis_costs_one_timeout_per_few_seconds(redis_hanging, site, client):
    post, _category = site
    for _ in range(10):
        client.get(post.get_absolute_url())
    # The first call waited for its timeout; the breaker kept the rest away.
    assert len(redis_hanging) == 1


@pytest.mark.parametrize("outage", ["redis_down", "redis_hanging"])
def test_admin_login_works_without_redis(outage, request, db):
    request.getfixturevalue(outage)
    StaffFactory(username="editor")
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    started = time.monotonic()
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/posts/post/").status_code == 200
    assert time.monotonic() - started < 2 * BUDGET


def test_comments_are_taken_without_redis_and_the_rate_limit_fails_open(
    redis_down, site, client, settings
):
    from tests.comments.helpers import post_comment

    post, _category = site
    settings.BLOG_COMMENT_RATE_PER_MINUTE = 1
    for n in range(3):
        response = post_comment(client, post, body=f"Comment number {n} from one reader.")
        assert response.status_code == 302
    assert post.comments.count() == 3


def test_cache_operations_without_redis_are_misses_and_no_ops(redis_down):
    assert cache.get("anything", "default") == "default"
    assert cache.get("anything", dict) is dict
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.get_or_set("a", 5) == 5
    with pytest.raises(ValueError):
        cache.incr("a")
    cache.set("a", 1)
    cache.delete("a")


# Redis back after an outage: no lost invalidation survives it.


@pytest.fixture
def restartable_redis(settings, tmp_path):
    """
    A redis-server of the test's own that keeps its data on disk across a
    restart (append-only file, synced on every write), as a production Redis
    with persistence does: ``stop()`` and ``start()`` it.
    """
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed: `make redis` installs it")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
    command += ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(tmp_path)]
    log = tmp_path / "redis.log"

    class Server:
        process = None

        def start(self):
            with log.open("ab") as output:
                self.process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
                    command, stdout=output, stderr=subprocess.STDOUT
                )
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    redis.Redis.from_url(url).ping()
                    return
                except redis.ConnectionError:
                    time.sleep(0.05)
            # Not left running: its Popen would be reported in a later test.
            self.process.kill()
            self.process.wait(timeout=10)
            raise RuntimeError(f"redis-server did not start:\n{tail(log)}")

        def stop(self):
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)

    server = Server()
    server.start()
    resilient_cache(settings, url, retry_after=0.5)
    yield server, redis.Redis.from_url(url)
    if server.process.poll() is None:
        server.stop()
    resilient.reset_breakers()


def test_invalidations_lost_while_redis_is_away_are_not_lost(
    restartable_redis, site, client, caplog
):
    server, raw = restartable_redis
    post, _category = site
    url = post.get_absolute_url()
    for _ in range(2):
        client.get("/")
        client.get(url)
    assert client.get(url)["X-Cache"] == "hit"

    server.stop()
    # Edited while Redis is away: the page cache's version bumps and the site
    # settings' forgetting cannot reach it.
    post.title = "The day WhatsApp came back"
    post.save()
    site_settings = SiteSettings.objects.filter(pk=1).first() or SiteSettings()
    site_settings.tagline = "Notes written while Redis slept"
    site_settings.save()

    server.start()
    # Redis kept the old pages, versions and settings on disk: served as they
    # are, readers would see the old title and tagline for good.
    assert raw.exists(*raw.keys("*pc:page:*"), *raw.keys("*sitesettings*")) >= 3
    time.sleep(0.6)  # RETRY_AFTER: the next call tries Redis again.
    caplog.set_level(logging.WARNING, logger="blog.cache")
    told = []
    resilient.emptied_after_outage.connect(lambda **kw: told.append(kw["lost_writes"]), weak=False)
    try:
        after = client.get(url)
    finally:
        resilient.emptied_after_outage.receivers.clear()
    assert len(told) == 1 and told[0] > 0
    assert "The day WhatsApp came back" in after.content.decode()
    assert after["X-Cache"] == "miss"
    assert "Notes written while Redis slept" in client.get("/").content.decode()
    assert any("writes were lost" in r.getMessage() for r in caplog.records)
    # And the page cache works again.
    assert client.get(url)["X-Cache"] == "hit"


# Production settings: the timeouts are set.

PROBE = """
import json
from django.conf import settings
print(json.dumps({"CACHE": settings.CACHES["default"], "DB": settings.DATABASES["default"]}))
"""


def test_production_settings_set_timeouts_for_redis_and_postgresql():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "blog.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.com",
        "DATABASE_URL": "postgres://blog@db.internal:5432/blog",
        "REDIS_URL": "redis://cache.internal:6379/0",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    loaded = json.loads(result.stdout or result.stderr)
    assert loaded["CACHE"]["BACKEND"] == "blog.cache.ResilientRedisCache"
    assert loaded["CACHE"]["OPTIONS"]["socket_timeout"] <= 0.5
    assert loaded["CACHE"]["OPTIONS"]["socket_connect_timeout"] <= 0.5
    assert loaded["DB"]["OPTIONS"]["connect_timeout"] == 5
    assert loaded["DB"]["OPTIONS"]["options"] == "-c statement_timeout=30000"


# The database unreachable: a themed 503, nothing half-written.

DB_GONE = OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def reader():
    # As a browser sees it: the exception becomes the error page, not a test failure.
    return Client(raise_request_exception=False)


def assert_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.templates[0].name == "503.html"
    body = response.content.decode()
    assert "Back in a moment" in body
    assert 'href="/static/css/site.css"' in body
    for leak in ("Traceback", "OperationalError", "server closed the connection"):
        assert leak not in body


def test_database_lost_in_a_view_answers_the_themed_503(site, reader):
    post, _category = site
    with mock.patch.object(Post.objects, "published", side_effect=DB_GONE):
        response = reader.get("/")
    assert_unavailable_page(response)


def test_database_lost_before_any_view_answers_the_themed_503(site, reader):
    # The site settings are read by a middleware, before the view.
    with mock.patch.object(SiteSettings, "current", side_effect=DB_GONE):
        response = reader.get(site[0].get_absolute_url())
    assert_unavailable_page(response)


def test_other_errors_still_answer_500(site, reader):
    with mock.patch.object(Post.objects, "published", side_effect=RuntimeError("a bug")):
        response = reader.get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_a_save_cut_off_by_the_database_leaves_nothing_half_written(site, reader):
    post, _category = site
    reader.force_login(StaffFactory())
    page = reader.get(f"/admin/posts/post/{post.pk}/change/")
    from tests.helpers import form_data

    data = form_data(page, "#post_form")
    data["title"] = "A title that must not be kept"
    # The post's row is written, then the database goes before its tags are.
    with mock.patch.object(admin.ModelAdmin, "save_related", side_effect=DB_GONE):
        response = reader.post(f"/admin/posts/post/{post.pk}/change/", data)
    assert_unavailable_page(response)
    post.refresh_from_db()
    assert post.title == "The day WhatsApp went down"


@pytest.mark.django_db(transaction=True)
def test_postgresql_restarted_under_load_fails_cleanly_and_resumes_by_itself(monkeypatch):
    """
    PostgreSQL drops every connection (a restart): a request in flight answers
    the 503 page, and the worker's next request is served on a new connection,
    whether its kept connection died mid-request or between two requests.
    Requests go through Django's WSGI handler as under gunicorn (the test
    client skips the per-request connection checks).
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    from django.core.handlers.wsgi import WSGIHandler

    # Production's: a kept connection, checked before each request uses it.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", True)
    post = PostFactory(title="Still here after the restart")
    handler = WSGIHandler()

    def get(path):
        environ = RequestFactory().get(path).environ
        status = []
        body = b"".join(handler(environ, lambda s, h, *a: status.append(s)))
        return status[0], body.decode()

    def restart():
        with psycopg_connect() as other:
            other.execute(
                "SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid]
            )

    assert get(post.get_absolute_url())[0].startswith("200")

    # Mid-request: the home page's query meets a dead connection.
    published = Post.objects.published

    def restart_then_query(*args, **kwargs):
        restart()
        return published(*args, **kwargs)

    with mock.patch.object(Post.objects, "published", side_effect=restart_then_query):
        status, body = get("/")
    assert status.startswith("503")
    assert "Back in a moment" in body and "Traceback" not in body
    status, body = get(post.get_absolute_url())
    assert status.startswith("200")

    # Between two requests: the kept connection is dead before the next one starts.
    pid = connection.connection.info.backend_pid
    restart()
    status, body = get(post.get_absolute_url())
    assert status.startswith("200")
    assert "Still here after the restart" in body
    assert connection.connection.info.backend_pid != pid


def psycopg_connect():
    import psycopg

    params = connection.get_connection_params()
    for name in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(name, None)
    return psycopg.connect(**params, autocommit=True)


# The page cache's generation read (ResilientRedisCache.ask_int): one bare GET per hit.


def test_ask_int_survives_a_redis_restart_without_tripping_the_breaker(restartable_redis):
    server, _raw = restartable_redis
    cache.set("generation", 41)
    assert cache.ask_int("generation")() == 41

    server.stop()
    server.start()
    # The thread's connection died with the server: one fresh try, no outage declared.
    assert cache.ask_int("generation")() == 41
    assert resilient._breaker_for(cache._location).down_since is None
    assert cache.ask_int("no-such-key")() is None


def test_ask_int_answers_in_any_order_and_skips_unread_answers(restartable_redis):
    cache.set_many({"a": 1, "b": 2})
    first, second = cache.ask_int("a"), cache.ask_int("b")
    assert (second(), first()) == (2, 1)

    cache.ask_int("a")  # Never read: its answer must not become the next one's.
    assert cache.ask_int("b")() == 2


def test_ask_int_without_redis_is_a_miss(redis_down):
    assert cache.ask_int("generation")() is None
