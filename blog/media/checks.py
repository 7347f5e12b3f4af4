"""System checks for the media library."""

from django.core import checks
from PIL import ImageFile


def pillow_refuses_truncated_images(app_configs=None, **kwargs):
    """Uploads are only safe to accept if Pillow fails on truncated files."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        return [
            checks.Error(
                "PIL.ImageFile.LOAD_TRUNCATED_IMAGES is True, so damaged uploads would be "
                "accepted; the media library refuses every upload until it is False.",
                hint="Remove whatever sets it (a library or a settings file).",
                id="media.E001",
            )
        ]
    return []
