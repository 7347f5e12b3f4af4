from django.db.models import Q
from django.urls import reverse

from .models import Post


def posts_using(image):
    """Posts whose featured image or body uses a library image, for the media library."""
    posts = Post.objects.filter(Q(featured_image=image) | Q(body__contains=image.url))
    return [
        (post.title, reverse("admin:posts_post_change", args=[post.pk]))
        for post in posts.only("pk", "title")
    ]
