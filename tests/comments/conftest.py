import pytest
from django.core.cache import cache

from blog.sitesettings.models import SiteSettings


@pytest.fixture
def real_cache(settings):
    """A working local-memory cache, emptied, in place of the suite's DummyCache (rate limits)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "comment-tests",
        }
    }
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def discussion():
    """Changes the site's discussion settings: ``discussion(comment_manual_approval=True)``."""

    def configure(**changes):
        SiteSettings.objects.update_or_create(pk=1, defaults=changes)

    return configure
