from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SearchConfig(AppConfig):
    name = "blog.search"
    verbose_name = "Search"

    def ready(self):
        from blog.posts.models import Post

        from . import signals

        post_save.connect(signals.post_saved, sender=Post, dispatch_uid="search.post_saved")
        post_delete.connect(signals.post_deleted, sender=Post, dispatch_uid="search.post_deleted")
