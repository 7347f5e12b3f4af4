"""The settings module read under different environments, each in a fresh interpreter."""

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "DATABASE": settings.DATABASES["default"]["ENGINE"],
    "DATABASE_NAME": str(settings.DATABASES["default"]["NAME"]),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": str(settings.CACHES["default"].get("LOCATION")),
    "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "HSTS": settings.SECURE_HSTS_SECONDS,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "MAILER": settings.MAILERS["default"]["BACKEND"],
    "MAILER_OPTIONS": settings.MAILERS["default"]["OPTIONS"],
}))
"""


def load_settings(**environ):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        "DJANGO_SETTINGS_MODULE": "blog.settings",
        **environ,
    }
    # Our own interpreter running our own probe: no untrusted input.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        return result.stderr
    return json.loads(result.stdout)


def test_development_defaults_are_local_and_plain_http():
    loaded = load_settings(DEBUG="1")
    assert loaded["DEBUG"] is True
    assert loaded["DATABASE"] == "django.db.backends.sqlite3"
    assert loaded["DATABASE_NAME"].endswith("db.sqlite3")
    assert loaded["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"
    assert loaded["SSL_REDIRECT"] is False
    assert loaded["MAILER"] == "django.core.mail.backends.console.EmailBackend"
    assert "*" not in loaded["ALLOWED_HOSTS"]


def test_production_requires_a_secret_key():
    error = load_settings(DEBUG="0", ALLOWED_HOSTS="example.com")
    assert "SECRET_KEY" in error


def test_production_turns_https_on_and_uses_redis():
    loaded = load_settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.com")
    assert loaded["ALLOWED_HOSTS"] == ["example.com"]
    assert loaded["SSL_REDIRECT"] is True
    assert loaded["HSTS"] >= 31536000
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["CSRF_COOKIE_SECURE"] is True
    assert loaded["CACHE"] == "blog.cache.ResilientRedisCache"
    assert loaded["MAILER"] == "django.core.mail.backends.smtp.EmailBackend"


def test_https_switches_can_be_left_to_a_proxy():
    loaded = load_settings(
        DEBUG="0",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.com",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
    )
    assert loaded["SSL_REDIRECT"] is False
    assert loaded["HSTS"] == 0
    assert loaded["SESSION_COOKIE_SECURE"] is True


def test_database_cache_and_mail_urls_are_read():
    loaded = load_settings(
        DEBUG="1",
        DATABASE_URL="postgres://blog:pw@db.internal:5433/blog",
        REDIS_URL="redis://cache.internal:6379/2",
        EMAIL_URL="smtp+tls://mailer:pw@mail.example.com:587",
    )
    assert loaded["DATABASE"] == "django.db.backends.postgresql"
    assert loaded["DATABASE_NAME"] == "blog"
    assert loaded["CACHE"] == "blog.cache.ResilientRedisCache"
    assert "cache.internal:6379/2" in loaded["CACHE_LOCATION"]
    assert loaded["MAILER_OPTIONS"] == {
        "host": "mail.example.com",
        "port": 587,
        "username": "mailer",
        "password": "pw",
        "use_tls": True,
    }


def _redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379")
def test_redis_cache_round_trip(settings):
    from django.core.cache import caches

    settings.CACHES = {
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "blog-tests",
        }
    }
    cache = caches["redis"]
    cache.set("greeting", {"hello": "world"}, 30)
    assert cache.get("greeting") == {"hello": "world"}
    cache.delete("greeting")
    assert cache.get("greeting") is None


def manage(*args, **environ):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", tempfile.gettempdir()),
        "DEBUG": "0",
        **environ,
    }
    # Our own interpreter running our own manage.py: no untrusted input.
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_checks_and_migration_files_need_no_production_secrets():
    assert manage("check").returncode == 0
    assert manage("makemigrations", "--check", "--dry-run").returncode == 0


def test_the_deploy_check_warns_about_a_missing_key():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_other_commands_still_require_the_secret_key():
    result = manage("diffsettings")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr
