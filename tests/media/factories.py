"""
Images made in memory with Pillow, audio, video and PDF samples made of their
magic bytes, and library images and files stored through the real pipeline.
"""

import io
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import ExifTags
from PIL import Image as PILImage

from blog.media.models import Image, MediaFile
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


# -- audio, video and documents ------------------------------------------------
# Each sample is what a real file of the type starts with, padded to 1 KiB:
# enough for the content check, which reads only the first bytes.


def _box(kind, payload):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _ebml(doc_type):
    """A Matroska/WebM EBML header with ``doc_type``, then the Segment's id."""
    elements = (
        b"\x42\x86\x81\x01"  # EBMLVersion 1
        + b"\x42\xf7\x81\x01"  # EBMLReadVersion 1
        + b"\x42\xf2\x81\x04"  # EBMLMaxIDLength 4
        + b"\x42\xf3\x81\x08"  # EBMLMaxSizeLength 8
        + b"\x42\x82"
        + bytes([0x80 | len(doc_type)])
        + doc_type
        + b"\x42\x87\x81\x04"  # DocTypeVersion 4
        + b"\x42\x85\x81\x02"  # DocTypeReadVersion 2
    )
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(elements)]) + elements + b"\x18\x53\x80\x67"


def _ogg_page(first_packet):
    """An Ogg page header (beginning of stream) and its first packet."""
    header = b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00" * 8
    return header + bytes([1, len(first_packet)]) + first_packet


MPEG_FRAME = b"\xff\xfb\x90\x64"  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz

SAMPLE_HEADS = {
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + MPEG_FRAME,
    "mp3-frames": MPEG_FRAME + b"\x00" * 413 + MPEG_FRAME,
    "m4a": _box(b"ftyp", b"M4A \x00\x00\x02\x00M4A isomiso2") + _box(b"free", b""),
    "ogg": _ogg_page(b"\x01vorbis\x00\x00\x00\x00\x02\x44\xac\x00\x00"),
    "wav": b"RIFF\x24\x04\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"
    + b"\x44\xac\x00\x00\x88\x58\x01\x00\x02\x00\x10\x00data\x00\x04\x00\x00",
    "flac": b"fLaC\x80\x00\x00\x22" + b"\x10\x00\x10\x00" + b"\x00" * 30,
    "mp4": _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + _box(b"free", b""),
    "webm": _ebml(b"webm"),
    "ogv": _ogg_page(b"\x80theora\x03\x02\x01"),
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
}
SAMPLE_HEADS["oga"] = SAMPLE_HEADS["ogg"]
SAMPLE_HEADS["m4v"] = SAMPLE_HEADS["mp4"]

SAMPLE_TYPES = {
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "wav": "audio/wav",
    "flac": "audio/flac",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "pdf": "application/pdf",
}


def sample_bytes(sample="pdf", size=1024):
    """``size`` bytes starting as a real ``sample`` file (a key of SAMPLE_HEADS) does."""
    head = SAMPLE_HEADS[sample]
    return head + b"\x00" * (size - len(head))


def sample_upload(sample="pdf", name=None, size=1024):
    """An upload of a sample, named ``sample.<extension>`` unless told otherwise."""
    extension = sample.split("-")[0]
    return upload(
        sample_bytes(sample, size),
        name or f"sample.{extension}",
        SAMPLE_TYPES.get(extension, "application/octet-stream"),
    )


class MediaFileFactory(DjangoModelFactory):
    """A library file stored as an upload would be: checked, named by us."""

    class Meta:
        model = MediaFile

    title = factory.Sequence(lambda n: f"A test file {n}")
    uploaded_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *, file=None, sample="pdf", **kwargs):
        file = file or sample_upload(sample)
        return model_class.objects.create_from_file(file, **kwargs)
