import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blog.settings")

# get_wsgi_application() first: it sets Django up before the page cache is imported.
django_application = get_wsgi_application()

from blog.pagecache.wsgi import PageCacheApplication  # noqa: E402

# Kept pages for anonymous readers are answered before Django's handler (blog/pagecache).
application = PageCacheApplication(django_application)
