"""
The floor of `make bench`: the least a Django app can do for the article.

One file, run by the same gunicorn with the same gunicorn.conf.py as the blog:
every path answers the article's bytes, read once from BENCH_FLOOR_BODY, through
SecurityMiddleware and CommonMiddleware only (no database, no cache, no template).

    BENCH_FLOOR_BODY=article.html gunicorn -c gunicorn.conf.py --pythonpath bench floor_app
"""

import os
from pathlib import Path

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import re_path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-floor-only"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
    ],
    USE_TZ=True,
)

BODY = Path(os.environ["BENCH_FLOOR_BODY"]).read_bytes()


def article(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"", article)]

django.setup()
application = get_wsgi_application()
