from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "blog.search"
    verbose_name = "Search"

    def ready(self):
        from blog.posts.models import post_models

        from . import signals

        # Posts and pages (a proxy, which signals name as their sender).
        for model in post_models():
            name = model.__name__
            post_save.connect(signals.post_saved, sender=model, dispatch_uid=f"search.saved.{name}")
            post_delete.connect(
                signals.post_deleted, sender=model, dispatch_uid=f"search.deleted.{name}"
            )
