"""Images made in memory with Pillow, and library images stored through the real pipeline."""

import io
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import ExifTags
from PIL import Image as PILImage

from blog.media.models import Image
from tests.factories import UserFactory

CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
}


def image_bytes(
    image_format="JPEG", size=(2000, 1500), color=(200, 60, 30), alpha=False, **save_options
):
    """An image encoded in memory; noise keeps JPEGs from being trivially small."""
    mode = "RGBA" if alpha else "RGB"
    image = PILImage.new(mode, size, color)
    image.paste(PILImage.effect_noise((size[0] // 4 or 1, size[1] // 4 or 1), 40).convert(mode))
    buffer = io.BytesIO()
    image.save(buffer, image_format, **save_options)
    return buffer.getvalue()


def upload(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_upload(image_format="JPEG", size=(2000, 1500), name=None, **save_options):
    extension = {"JPEG": "jpg", "TIFF": "tif"}.get(image_format, image_format.lower())
    return upload(
        image_bytes(image_format, size, **save_options),
        name or f"photo.{extension}",
        CONTENT_TYPES[image_format],
    )


def phone_photo(size=(1600, 1200)):
    """
    A JPEG as a phone writes it: sensor-shaped (landscape) pixels with EXIF
    orientation 6 (rotate 90° clockwise to view), a camera model, GPS
    coordinates and an XMP packet.
    """
    exif = PILImage.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.5),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
        # Phones write this; it also puts the bytes "GPS" in the file.
        ExifTags.GPS.GPSProcessingMethod: b"ASCII\x00\x00\x00GPS FUSED",
    }
    # Red on the left half of the sensor image: after turning it upright, red is on top.
    image = PILImage.new("RGB", size, (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><GPSLatitude>51,30N</GPSLatitude></x:xmpmeta>'
    image.save(buffer, "JPEG", exif=exif, xmp=xmp, quality=90)
    return buffer.getvalue()


def animated_gif(size=(900, 600), colors=("red", "green", "blue")):
    frames = [PILImage.new("RGB", size, color) for color in colors]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0
    )
    return buffer.getvalue()


def _png_chunk(kind, data):
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_claiming_size(width, height):
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


class ImageFactory(DjangoModelFactory):
    """A library image stored as an upload would be: processed, with renditions."""

    class Meta:
        model = Image

    alt_text = factory.Sequence(lambda n: f"A test picture {n}")
    caption = ""
    uploaded_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, file=None, image_format="JPEG", size=(1000, 750), **kwargs):
        file = file or image_upload(image_format, size)
        return model_class.objects.create_from_file(file, **kwargs)
