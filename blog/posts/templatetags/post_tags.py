from django import template
from django.db.models import Count, Q
from django.utils import timezone

from blog.categories.models import Category

from ..models import Post

register = template.Library()


@register.simple_tag
def recent_posts(count=5):
    return list(Post.objects.published().only("title", "slug", "published_at")[:count])


@register.simple_tag
def category_tree():
    """
    Categories that hold published posts, as (category, depth) pairs in tree
    order, each with ``post_count``. One query, however many categories.
    """
    published = Q(posts__status=Post.Status.PUBLISHED, posts__published_at__lte=timezone.now())
    categories = list(
        Category.objects.with_parents().annotate(post_count=Count("posts", filter=published))
    )
    children = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)

    def walk(parent_id, depth):
        for category in children.get(parent_id, []):
            yield category, depth
            yield from walk(category.pk, depth + 1)

    return list(walk(None, 0))
