from django.apps import AppConfig
from django.db.models.signals import post_save


class PostsConfig(AppConfig):
    name = "blog.posts"
    label = "posts"
    verbose_name = "Posts"

    def ready(self):
        from blog.media import signals as media_signals
        from blog.media import usage

        from . import derived
        from .models import post_models
        from .signals import record_revision
        from .usage import posts_using

        for model in post_models():
            post_save.connect(
                record_revision,
                sender=model,
                dispatch_uid=f"posts.record_revision.{model.__name__}",
            )
        usage.register(posts_using)
        # Bodies keep their images' srcsets (made on save): they follow the library.
        media_signals.image_changed.connect(
            derived.refresh_on_image_change, dispatch_uid="posts.refresh_on_image_change"
        )
