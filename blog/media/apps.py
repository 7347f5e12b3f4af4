from django.apps import AppConfig
from django.core import checks


class MediaConfig(AppConfig):
    name = "blog.media"
    label = "media"
    verbose_name = "Media library"

    def ready(self):
        from . import checks as media_checks
        from . import signals

        signals.connect()
        checks.register(media_checks.pillow_refuses_truncated_images)
