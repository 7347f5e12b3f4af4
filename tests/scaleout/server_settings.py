"""
The settings of the app servers tests/scaleout starts: blog/settings.py as production
reads it from the environment the test gives (DEBUG off, SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL, CACHE_URL), with one difference: static files are served from the source
folders, so the test needs no collectstatic (and no manifest) first.
"""

from blog.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
