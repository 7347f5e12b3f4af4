"""
The sections of /sitemap.xml: the home page, published posts, and the
category, tag and author archives that show at least one of them.

Each section is a fixed number of queries however many posts there are; a
taxonomy's ``lastmod`` is the newest publication it lists. One file holds up
to 50,000 URLs per section, which is more than a blog needs, so there is no
sitemap index.
"""

from django.contrib.auth import get_user_model
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from taggit.models import Tag

from blog.categories.models import Category

from . import seo
from .models import Post


class HomeSitemap(Sitemap):
    def items(self):
        return ["posts:home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return Post.objects.published().aggregate(latest=Max("published_at"))["latest"]


class PostSitemap(Sitemap):
    def items(self):
        # Only what the URL and lastmod need; bodies can be large.
        return (
            Post.objects.published()
            .only("kind", "slug", "published_at", "created_at", "updated_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, post):
        return seo.last_modified(post)


class LatestPostSitemap(Sitemap):
    """Items carry ``latest``, the newest publication date on their archive."""

    def lastmod(self, item):
        return item.latest


class CategorySitemap(LatestPostSitemap):
    def items(self):
        # All categories in one query, so paths of any depth need none more.
        categories = list(
            Category.objects.annotate(
                latest=Max(
                    "posts__published_at",
                    filter=Q(posts__in=Post.objects.published()),
                )
            )
        )
        by_id = {category.pk: category for category in categories}
        for category in categories:
            if category.parent_id:
                category.parent = by_id[category.parent_id]
        # A category archive lists its children's posts too.
        for category in categories:
            for ancestor in category.ancestors if category.latest else ():
                ancestor.latest = max(filter(None, [ancestor.latest, category.latest]))
        return sorted((c for c in categories if c.latest), key=lambda c: c.path)


class TagSitemap(LatestPostSitemap):
    def items(self):
        # Lists, which the paginator counts without a query.
        return list(
            Tag.objects.filter(posts_taggedpost_items__content_object__in=Post.objects.published())
            # After the filter, so the maximum is over the published posts only.
            .annotate(latest=Max("posts_taggedpost_items__content_object__published_at"))
            .order_by("slug")
        )

    def location(self, tag):
        return reverse("posts:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(LatestPostSitemap):
    def items(self):
        return list(
            get_user_model()
            .objects.filter(posts__in=Post.objects.published())
            .annotate(latest=Max("posts__published_at"))
            .order_by("slug")
        )


SITEMAPS = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
