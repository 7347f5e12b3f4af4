import mimetypes

from django.apps import AppConfig
from django.core import checks


class MediaConfig(AppConfig):
    name = "blog.media"
    label = "media"
    verbose_name = "Media library"

    def ready(self):
        from . import checks as media_checks
        from . import signals
        from .files import MIME_TYPES

        signals.connect()
        # Python's own table lacks some (.m4a, .ogg, .flac, ...) where the system
        # has no /etc/mime.types; development's media serve uses this table.
        for extension, mime_type in MIME_TYPES.items():
            mimetypes.add_type(mime_type, f".{extension}")
        checks.register(media_checks.pillow_refuses_truncated_images)
        # Pillow's own decompression bomb guard, for every image this process
        # opens (uploads, imports): a warning past the site's limit, an error
        # past twice it, instead of Pillow's default of about 89 megapixels.
        from django.conf import settings
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.BLOG_IMAGE_MAX_PIXELS
