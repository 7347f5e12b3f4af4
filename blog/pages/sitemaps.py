from django.contrib.sitemaps import Sitemap

from blog.posts import seo

from .models import Page


class PageSitemap(Sitemap):
    """Published pages, in tree order; protected ones too, as WordPress lists them."""

    def items(self):
        return Page.objects.published().only("kind", "path", "published_at", "updated_at")

    def lastmod(self, page):
        return seo.last_modified(page)
