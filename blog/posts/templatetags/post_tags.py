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
    Categories that hold published posts, or whose children do, as
    (category, depth) pairs in tree order, each with ``post_count``.
    One query, however many categories.
    """
    published = Q(posts__status=Post.Status.PUBLISHED, posts__published_at__lte=timezone.now())
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
