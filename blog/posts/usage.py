from django.db.models import Q

from .models import Post


def posts_using(library_file):
    """
    Posts and pages that show a library image or file: as their featured
    image (images only) or anywhere in their body, for the media library.
    """
    used = Q(body__contains=library_file.url)
    if library_file._meta.model_name == "image":
        used |= Q(featured_image=library_file)
    posts = Post.any_kind.filter(used)
    return [(post.title, post.get_admin_url()) for post in posts.only("pk", "title", "kind")]
