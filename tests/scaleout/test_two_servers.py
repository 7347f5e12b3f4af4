"""
Two app servers, one database, one cache: gunicorn started twice with production
settings against the test session's PostgreSQL database and one Redis database.
What one server does, the other sees at once: a login, a comment posted and
approved, and the cached copy of the article that the approval makes stale.
"""

import os
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from blog.comments.models import Comment
from tests.factories import PostFactory, StaffFactory
from tests.scaleout.processes import free_port, running

ROOT = Path(__file__).resolve().parents[2]
# Where no redis-server can be started: a spare database of the local Redis.
SHARED_REDIS_URL = "redis://127.0.0.1:6379/13"
PASSWORD = "two servers, one site"
PAGE_CACHE = "blog.pagecache" in settings.INSTALLED_APPS

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="two app servers need a database server: runs in the PostgreSQL pass of "
        "make test (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]


def database_url():
    """The test session's database (``test_<name>``), where the committed rows are."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """
    The servers' Redis: a redis-server of the module's own on a free port (nothing
    kept on disk), or, where Redis is not installed, database 13 of the one at
    127.0.0.1:6379. Emptied before each test either way.
    """
    if not shutil.which("redis-server"):
        try:
            redis.Redis.from_url(SHARED_REDIS_URL).ping()
        except redis.ConnectionError:
            pytest.fail(f"No redis-server to start, and none answers at {SHARED_REDIS_URL}")
        yield SHARED_REDIS_URL
        return
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    folder = tmp_path_factory.mktemp("redis")
    command = ["redis-server", "--bind", "127.0.0.1", "--port", str(port)]
    command += ["--save", "", "--appendonly", "no", "--dir", str(folder)]
    with running((command, redis.Redis.from_url(url).ping, folder / "redis.log", {})):
        yield url


@pytest.fixture(scope="module")
def servers(redis_url, django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn servers, each with two workers, started once for the module."""
    with django_db_blocker.unblock():
        db_url = database_url()
    folder = tmp_path_factory.mktemp("servers")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(folder),
        "DJANGO_SETTINGS_MODULE": "tests.scaleout.server_settings",
        "DEBUG": "0",
        "SECRET_KEY": "scale-out-test-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": db_url,
        "CACHE_URL": redis_url,
        # Plain HTTP on the loopback.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "MEDIA_ROOT": str(folder / "media"),
        "EMAIL_URL": "consolemail://",
        # The reader in this test writes fast.
        "BLOG_COMMENT_MIN_SECONDS": "0",
        # X-Cache: hit|miss on pages the page cache serves.
        "BLOG_PAGE_CACHE_DEBUG": "1",
    }
    addresses, servers = [], []
    for name in ("a", "b"):
        port = free_port()
        addresses.append(f"http://127.0.0.1:{port}")
        # gunicorn.conf.py (read from the project folder) as in production, with
        # two workers each, on a free port.
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", "2"]
        log = folder / f"gunicorn-{name}.log"
        servers.append((command, f"{addresses[-1]}/robots.txt", log, {"env": env, "cwd": ROOT}))
    with running(*servers):
        yield addresses


@pytest.fixture(autouse=True)
def shared_cache(settings, redis_url):
    """This process uses the servers' cache too, which starts empty for each test."""
    redis.Redis.from_url(redis_url).flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }


@pytest.fixture
def editor():
    user = StaffFactory(username="editor", display_name="Edith Editor")
    # The servers hash as production does (not the test settings' MD5).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "scaleoutsalt", iterations=1000)
    user.save(update_fields=["password"])
    return user


class Browser(requests.Session):
    """A cookie jar and connection pool, as a browser has; no request hangs the test."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 20)
        return super().request(*args, **kwargs)


def soup(response):
    return BeautifulSoup(response.text, "html.parser")


def form_fields(form):
    """What a browser sends from ``form`` as it stands (text, hidden and checked fields)."""
    data = {}
    for field in form.select("input[name], textarea[name]"):
        kind = field.get("type", "text").lower()
        if kind in ("submit", "button", "file") or (
            kind in ("checkbox", "radio") and not field.has_attr("checked")
        ):
            continue
        data[field["name"]] = field.get("value", "") if field.name == "input" else field.text
    return data


def log_in(browser, server, user):
    login = browser.get(f"{server}/admin/login/")
    data = form_fields(soup(login).select_one("form#login-form"))
    data.update(username=user.username, password=PASSWORD)
    response = browser.post(f"{server}/admin/login/?next=/admin/", data=data)
    assert response.url == f"{server}/admin/", soup(response).select_one(".errornote")
    return browser


def test_a_session_made_on_one_server_works_on_the_other(servers, editor):
    a, b = servers
    browser = log_in(Browser(), a, editor)

    on_b = browser.get(f"{b}/admin/", allow_redirects=False)
    assert on_b.status_code == 200
    assert "Dashboard" in on_b.text

    # Logging out on B ends the session on A too.
    logout = soup(on_b).select_one("form#logout-form")
    assert browser.post(f"{b}{logout['action']}", data=form_fields(logout)).status_code == 200
    assert browser.get(f"{a}/admin/", allow_redirects=False).status_code == 302
    # A stranger's cookie jar gets nowhere on either.
    assert Browser().get(f"{b}/admin/", allow_redirects=False).status_code == 302


def post_a_comment(server, post, body):
    """What a reader's browser does on ``server``'s article: write, then post the form."""
    reader = Browser()
    article = reader.get(f"{server}{post.get_absolute_url()}")
    form = soup(article).select_one("form.comment-form")
    data = form_fields(form)
    data.update(name="Rita Reader", email="rita@example.com", body=body)
    if not data.get("token") and form.get("data-token-url"):
        # The token the form's script fetches when the reader starts writing.
        data["token"] = reader.get(f"{server}{form['data-token-url']}").json()["token"]
    action = form["action"].split("#")[0]
    return reader.post(
        f"{server}{action}", data=data, headers={"Origin": server}, allow_redirects=False
    )


def approve(server, editor, comment):
    browser = log_in(Browser(), server, editor)
    changelist = browser.get(f"{server}/admin/comments/comment/")
    token = soup(changelist).select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = browser.post(
        f"{server}/admin/comments/comment/",
        data={
            "action": "approve",
            "_selected_action": [str(comment.pk)],
            "index": "0",
            "csrfmiddlewaretoken": token,
        },
        allow_redirects=False,
    )
    assert response.status_code == 302


def test_a_comment_posted_on_one_server_and_approved_on_the_other_shows_on_both(servers, editor):
    a, b = servers
    post = PostFactory(title="Harbour lights", author=editor)
    body = "The harbour lights were lovely this year."
    reader_on_b = Browser()

    first = reader_on_b.get(f"{b}{post.get_absolute_url()}")
    assert first.status_code == 200
    assert body not in first.text
    if PAGE_CACHE:
        # B keeps the article for anonymous readers.
        assert reader_on_b.get(f"{b}{post.get_absolute_url()}").headers["X-Cache"] == "hit"

    posted = post_a_comment(b, post, body)

    assert posted.status_code == 302, posted.text[:2000]
    comment = Comment.objects.get()
    # A first comment waits for an editor (the default moderation rules).
    assert (comment.body, comment.status) == (body, Comment.Status.PENDING)
    assert body not in reader_on_b.get(f"{b}{post.get_absolute_url()}").text

    approve(a, editor, comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    for server in (b, a):
        shown = reader_on_b.get(f"{server}{post.get_absolute_url()}")
        assert body in shown.text, server
        assert "1 Comment" in shown.text
    if PAGE_CACHE:
        # B made its copy afresh once, and keeps that one.
        assert shown.headers["X-Cache"] == "miss"
        again = reader_on_b.get(f"{b}{post.get_absolute_url()}")
        assert (again.headers["X-Cache"], body in again.text) == ("hit", True)
