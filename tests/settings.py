"""The project's settings with what the test runner needs and nothing else changed."""

import os

# Tests run as production does, whatever a developer's .env says.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("CACHE_URL", "locmemcache://tests")
# The test client and the live server speak plain HTTP.
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(name, "0")

from blog.settings import *  # noqa: E402, F403

# No collectstatic before tests: serve from the source folders.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Whitenoise finds files in static/ as runserver does, with no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
