from django import template
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from taggit.models import Tag

from blog.categories.models import Category

from ..models import Post

register = template.Library()

# The tag cloud shows the most used tags, as WordPress's does (45 there too),
# in this many sizes (CSS classes tag-size-1 to tag-size-5).
TAG_CLOUD_LIMIT = 45
TAG_CLOUD_SIZES = 5


@register.simple_tag
def recent_posts(count=5):
    return list(Post.objects.published().only("kind", "title", "slug", "published_at")[:count])


@register.simple_tag
def category_tree():
    """
    Categories that hold published posts, or whose children do, as
    (category, depth) pairs in tree order, each with ``post_count``.
    One query, however many categories.
    """
    published = Q(posts__in=Post.objects.published())
    categories = list(Category.objects.annotate(post_count=Count("posts", filter=published)))
    by_id = {category.pk: category for category in categories}
    children = {}
    for category in categories:
        if category.parent_id:
            # Link parents already in hand, so URLs of any depth need no query.
            category.parent = by_id[category.parent_id]
        children.setdefault(category.parent_id, []).append(category)

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            below = list(walk(category.pk, depth + 1))
            if category.post_count or below:
                yield category, depth
                yield from below

    return list(walk(None, 0))


@register.simple_tag
def tag_cloud():
    """
    Tags of published posts in name order, each with ``post_count`` and a
    ``size`` from 1 to ``TAG_CLOUD_SIZES`` growing with the count (WordPress's
    linear scale: the least used tag is the smallest). One query.
    """
    tags = list(
        Tag.objects.filter(posts_taggedpost_items__content_object__in=Post.objects.published())
        .annotate(post_count=Count("posts_taggedpost_items"))
        .order_by("-post_count", "name")[:TAG_CLOUD_LIMIT]
    )
    if not tags:
        return []
    least = min(tag.post_count for tag in tags)
    spread = max(tag.post_count for tag in tags) - least or 1
    for tag in tags:
        tag.size = 1 + round((tag.post_count - least) * (TAG_CLOUD_SIZES - 1) / spread)
    return sorted(tags, key=lambda tag: tag.name.casefold())


@register.simple_tag
def monthly_archives():
    """
    Months with published posts, newest first, as dicts of ``month`` (a date),
    ``post_count`` and ``url``. Months are those of the current time zone (the
    site's), on SQLite and PostgreSQL alike. One query.
    """
    months = (
        Post.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(post_count=Count("pk"))
        # Replaces the model's ordering, which would split the groups.
        .order_by("-month")
    )
    return [
        {
            "month": row["month"].date(),
            "post_count": row["post_count"],
            "url": reverse(
                "posts:month", kwargs={"year": row["month"].year, "month": row["month"].month}
            ),
        }
        for row in months
    ]
