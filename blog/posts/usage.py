from django.db.models import Q

from .models import Post


def posts_using(image):
    """Posts and pages whose featured image or body uses a library image, for the media library."""
    posts = Post.any_kind.filter(Q(featured_image=image) | Q(body__contains=image.url))
    return [(post.title, post.get_admin_url()) for post in posts.only("pk", "title", "kind")]
