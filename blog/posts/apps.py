from django.apps import AppConfig
from django.db.models.signals import post_save


class PostsConfig(AppConfig):
    name = "blog.posts"
    label = "posts"
    verbose_name = "Posts"

    def ready(self):
        from blog.media import usage

        from .models import Post
        from .signals import record_revision
        from .usage import posts_using

        post_save.connect(record_revision, sender=Post, dispatch_uid="posts.record_revision")
        usage.register(posts_using)
