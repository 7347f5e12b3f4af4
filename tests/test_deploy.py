"""
deploy/nginx.conf, rendered with test ports and folders, checked by `nginx -t` and run
in front of the live app: static files, uploads, compression, proxy headers and the
cache of anonymous pages. `make test` installs Debian's nginx and its modules; without
them these tests skip and say so.
"""

import datetime
import gzip
import http.client
import importlib.util
import json
import os
import ssl
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.http import HttpResponse, JsonResponse
from django.urls import include, path

spec = importlib.util.spec_from_file_location(
    "deploy_render", Path(__file__).resolve().parent.parent / "deploy" / "render.py"
)
render = importlib.util.module_from_spec(spec)
spec.loader.exec_module(render)

if render.nginx_binary() is None:
    pytest.skip(
        "nginx is not installed (`make test` installs it: apt-get install nginx "
        "libnginx-mod-http-brotli-filter libnginx-mod-http-brotli-static "
        "libnginx-mod-http-cache-purge)",
        allow_module_level=True,
    )
if render.missing_modules():
    pytest.skip(
        f"nginx modules missing: {', '.join(render.missing_modules())} (`make test` installs them)",
        allow_module_level=True,
    )

ROOT = Path(__file__).resolve().parent.parent
HASHED_CSS = "css/site.0123456789ab.css"
CSS = "body { color: #222; margin: 0 auto; }\n" * 40


def seen(request):
    """What the app was told about the request, through nginx."""
    return JsonResponse(
        {
            "scheme": request.scheme,
            "secure": request.is_secure(),
            "host": request.get_host(),
            "forwarded_for": request.META.get("HTTP_X_FORWARDED_FOR"),
        }
    )


def cacheable(request):
    """A page the app marks as shareable for a minute, with a fresh token on every render."""
    response = HttpResponse(f"rendered {uuid.uuid4()}", content_type="text/plain")
    response["Cache-Control"] = "public, max-age=60"
    return response


def uncacheable(request):
    return HttpResponse(f"rendered {uuid.uuid4()}", content_type="text/plain")


urlpatterns = [
    path("_deploy/seen/", seen),
    path("_deploy/cacheable/", cacheable),
    path("_deploy/uncacheable/", uncacheable),
    path("", include("blog.urls")),
]


@pytest.fixture(scope="module")
def front(django_db_setup, live_server, tmp_path_factory):
    # The live server starts after the test database exists (see tests/browser/conftest.py).
    folder = tmp_path_factory.mktemp("nginx")
    static, media = folder / "static", folder / "media"
    (static / "css").mkdir(parents=True)
    (static / HASHED_CSS).write_text(CSS)
    (static / "css" / "plain.css").write_text(CSS)
    media.mkdir()
    (media / "report.pdf").write_bytes(b"%PDF-1.4\n% a test document\n")
    (media / "upload.html").write_text("<script>alert(1)</script>")
    nginx = render.NginxFront(
        folder / "run",
        app=live_server.url.removeprefix("http://"),
        static_root=static,
        media_root=media,
    )
    ok, output = nginx.check()
    assert ok, output
    nginx.start()
    yield nginx
    nginx.stop()


@pytest.fixture
def app_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def get(front, path, headers=None, port=None):
    """GET over HTTPS (or plain HTTP on `port`): (status, headers, body bytes)."""
    if port is None:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", front.https_port, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port)
    try:
        connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_static_files_hashed_names_cached_for_a_year(front):
    status, headers, body = get(front, f"/static/{HASHED_CSS}")
    assert status == 200
    assert body.decode() == CSS
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"

    status, headers, _ = get(front, "/static/css/plain.css")
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=3600"


def test_compression_when_asked(front):
    status, headers, body = get(front, f"/static/{HASHED_CSS}", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).decode() == CSS
    assert len(body) < len(CSS) / 5

    _, headers, _ = get(front, f"/static/{HASHED_CSS}", {"Accept-Encoding": "br"})
    assert headers["Content-Encoding"] == "br"

    _, headers, body = get(front, f"/static/{HASHED_CSS}")
    assert "Content-Encoding" not in headers
    assert body.decode() == CSS


def test_uploads_served_with_their_type_and_nosniff(front):
    status, headers, body = get(front, "/media/report.pdf")
    assert status == 200
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body.startswith(b"%PDF")

    # An upload that is not one of the library's types is never served as a page.
    _, headers, _ = get(front, "/media/upload.html")
    assert headers["Content-Type"] == "application/octet-stream"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_plain_http_redirects_to_https(front):
    status, headers, _ = get(front, "/2014/?x=1", port=front.http_port)
    assert status == 301
    assert headers["Location"] == "https://localhost/2014/?x=1"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("app_urls")
def test_app_sees_the_forwarded_scheme_host_and_client(front):
    status, headers, body = get(front, "/_deploy/seen/")
    assert status == 200
    assert json.loads(body) == {
        "scheme": "https",
        "secure": True,
        "host": "localhost",
        "forwarded_for": "127.0.0.1",
    }

    status, headers, body = get(front, "/", {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert b"</html>" in gzip.decompress(body)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("app_urls")
def test_anonymous_pages_cached_as_the_app_says_and_purged_on_request(front):
    status, headers, first = get(front, "/_deploy/cacheable/")
    assert (status, headers["X-Cache-Status"]) == (200, "MISS")
    _, headers, second = get(front, "/_deploy/cacheable/")
    assert headers["X-Cache-Status"] == "HIT"
    assert second == first
    assert "X-Accel-Expires" not in headers

    # A logged-in reader (or one with a message waiting) neither sees nor fills the cache.
    for cookie in ("sessionid=abc", "theme=dark; messages=xyz"):
        _, headers, personal = get(front, "/_deploy/cacheable/", {"Cookie": cookie})
        assert headers["X-Cache-Status"] == "BYPASS"
        assert personal != first
    assert get(front, "/_deploy/cacheable/")[2] == first

    # Another query string is another page.
    _, headers, _ = get(front, "/_deploy/cacheable/?page=2")
    assert headers["X-Cache-Status"] == "MISS"

    # Purge from this machine: the next reader gets a fresh page.
    status, _, _ = get(front, "/_deploy/cacheable/", port=front.purge_port)
    assert status == 200
    _, headers, fresh = get(front, "/_deploy/cacheable/")
    assert headers["X-Cache-Status"] == "MISS"
    assert fresh != first
    status, _, _ = get(front, "/_deploy/nothing-here/", port=front.purge_port)
    assert status == 404

    # Without the app's permission, nothing is stored.
    _, headers, once = get(front, "/_deploy/uncacheable/")
    _, headers, twice = get(front, "/_deploy/uncacheable/")
    assert headers["X-Cache-Status"] == "MISS"
    assert once != twice


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("page_cache")
def test_a_change_purges_from_nginx_exactly_the_pages_that_show_it(front, settings):
    from tests.factories import CategoryFactory, CommentFactory, PostFactory

    settings.BLOG_FRONT_PURGE = [f"http://127.0.0.1:{front.purge_port}"]
    now = datetime.datetime.now(datetime.UTC)
    news, other = CategoryFactory(slug="news"), CategoryFactory(slug="other")
    far = PostFactory(
        title="Far away", categories=[other], published_at=now - datetime.timedelta(days=60)
    )
    PostFactory(title="Between", categories=[other], published_at=now - datetime.timedelta(days=30))
    article = PostFactory(title="WhatsApp crashes", categories=[news])
    shows_article = [article.get_absolute_url(), "/", "/category/news/"]
    elsewhere = [far.get_absolute_url(), "/category/other/"]
    for address in shows_article + elsewhere:
        get(front, address)
        assert get(front, address)[1]["X-Cache-Status"] == "HIT", address

    article.title = "WhatsApp is back"
    article.save()

    for address in shows_article:
        status, headers, body = get(front, address)
        assert (status, headers["X-Cache-Status"]) == (200, "MISS"), address
        assert b"WhatsApp is back" in body
    for address in elsewhere:
        assert get(front, address)[1]["X-Cache-Status"] == "HIT", address

    # An approved comment: its article is fresh at once, through nginx.
    get(front, article.get_absolute_url())
    CommentFactory(post=article, body="Back for me too", status="approved")
    status, headers, body = get(front, article.get_absolute_url())
    assert headers["X-Cache-Status"] == "MISS"
    assert b"Back for me too" in body
    assert get(front, far.get_absolute_url())[1]["X-Cache-Status"] == "HIT"


def gunicorn_config(**environ):
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
    done = subprocess.run(  # noqa: S603
        [*command, "--print-config"],
        cwd=ROOT,
        env={**os.environ, **environ},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict((part.strip() for part in line.split("=", 1)) for line in done.stdout.splitlines())


def test_gunicorn_settings():
    config = gunicorn_config()
    assert config["wsgi_app"] == "blog.wsgi:application"
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["workers"] == str(min(2 * os.cpu_count() + 1, 12))
    assert config["accesslog"] == "None"
    assert config["forwarded_allow_ips"] == "['127.0.0.1', '::1']"

    config = gunicorn_config(GUNICORN_WORKERS="3", GUNICORN_ACCESS_LOG="-")
    assert (config["workers"], config["accesslog"]) == ("3", "-")


@pytest.mark.parametrize(
    ("debug", "expected"), [("0", "60 True"), ("1", "0 False")], ids=["production", "development"]
)
def test_database_connections_kept_in_production(debug, expected):
    environ = {
        **os.environ,
        "DEBUG": debug,
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "example.com",
        "DJANGO_SETTINGS_MODULE": "blog.settings",
    }
    for name in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        environ.pop(name, None)
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert done.stdout.strip() == expected, done.stderr
