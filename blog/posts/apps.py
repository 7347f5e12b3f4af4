from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save


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
        self._connect_counts()
        usage.register(posts_using)
        # Bodies keep their images' srcsets (made on save): they follow the library.
        media_signals.image_changed.connect(
            derived.refresh_on_image_change, dispatch_uid="posts.refresh_on_image_change"
        )

    def _connect_counts(self):
        """The stored list sizes follow every change that moves a post in or out of a list."""
        from taggit.models import Tag

        from blog.categories.models import Category

        from . import counts
        from .models import Post, TaggedPost, post_models

        for model in post_models():
            name = model.__name__
            for signal, receiver in (
                (pre_save, counts.post_pre_save),
                (post_save, counts.post_post_save),
                (pre_delete, counts.post_pre_delete),
            ):
                signal.connect(
                    receiver, sender=model, dispatch_uid=f"{receiver.__qualname__}.{name}"
                )
        for through in (Post.categories.through, TaggedPost):
            m2m_changed.connect(
                counts.filings_changed,
                sender=through,
                dispatch_uid=f"posts.counts.filings.{through.__name__}",
            )
        pre_save.connect(counts.category_pre_save, sender=Category, dispatch_uid="posts.counts.cat")
        post_save.connect(
            counts.category_post_save, sender=Category, dispatch_uid="posts.counts.cat"
        )
        pre_delete.connect(
            counts.category_pre_delete, sender=Category, dispatch_uid="posts.counts.cat"
        )
        post_delete.connect(
            counts.category_post_delete, sender=Category, dispatch_uid="posts.counts.cat"
        )
        post_delete.connect(counts.tag_post_delete, sender=Tag, dispatch_uid="posts.counts.tag")
