import datetime

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploads in tests land in a temporary folder, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_cache(settings):
    """
    Every test sees the database, not a cache filled by an earlier one, and
    pages are rendered, never served by the page cache (on in production).
    """
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.BLOG_PAGE_CACHE = False


@pytest.fixture
def local_cache(settings):
    """
    A real, empty local-memory cache for the tests that need one (shared
    fragments warm, the page cache), with the page cache still off.
    """
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-local-cache",
        }
    }
    from blog.pagecache import front, store

    caches["default"].clear()
    store.forget_copies()
    yield caches["default"]
    caches["default"].clear()
    store.forget_copies()
    front.forget_all()


@pytest.fixture
def page_cache(local_cache, settings):
    """The page cache on, over a real local-memory cache, saying hit or miss in X-Cache."""
    settings.BLOG_PAGE_CACHE = True
    settings.BLOG_PAGE_CACHE_DEBUG = True
    return local_cache


@pytest.fixture
def boss():
    """A superuser (posts, users, everything)."""
    from tests.factories import StaffFactory

    return StaffFactory(username="boss", display_name="The Boss")


@pytest.fixture
def boss_client(client, boss):
    client.force_login(boss)
    return client


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def yesterday(now):
    return now - datetime.timedelta(days=1)


@pytest.fixture
def tomorrow(now):
    return now + datetime.timedelta(days=1)


_skipped_browser_tests = []


# The fixtures through which a test reaches the database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "admin_user",
    "admin_client",
}


def pytest_collection_modifyitems(items):
    """
    Browser tests run last: Playwright keeps an event loop in the main thread
    from its first test on, and Django refuses queries beside a running loop
    unless the browser tests' fixture allows them.

    A test marked ``no_database`` is left out of the PostgreSQL pass (Makefile);
    one that reaches the database all the same is a mistake, refused here.
    """
    for item in items:
        if item.get_closest_marker("no_database") and (
            item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames)
        ):
            raise pytest.UsageError(f"{item.nodeid} is marked no_database but uses the database")
    items.sort(key=lambda item: "browser" in item.keywords)


def pytest_runtest_logreport(report):
    if report.skipped and "browser" in report.keywords:
        _skipped_browser_tests.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    """A browser test that skips has not shown anything: fail the run instead."""
    if _skipped_browser_tests and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _skipped_browser_tests:
        terminalreporter.write_line(
            "FAILED: browser tests were skipped (is /usr/bin/chromium installed?): "
            + ", ".join(_skipped_browser_tests),
            red=True,
        )
