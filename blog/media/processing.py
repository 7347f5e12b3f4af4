"""
Checking and preparing an uploaded image, all in memory, before anything is stored.

``process(file)`` either raises ``ImageRejected`` with a message meant for the
person uploading, or returns a ``ProcessedImage``: the original re-encoded
upright and without metadata, and its renditions. The checks run cheapest
first, so a hostile file costs as little as possible:

1. the size the upload handler counted (nothing is read before this);
2. the format Pillow detects from the header (never the file name), limited
   to JPEG, PNG, WebP and GIF;
3. width x height (x frames, for animations) against ``BLOG_IMAGE_MAX_PIXELS``,
   from the header alone; Pillow's own decompression bomb error or warning
   gets the same message;
4. a full decode (``load()``), which is where truncated files fail;
5. EXIF orientation applied, then every frame re-encoded with no EXIF, GPS,
   XMP, comments or text chunks (an RGB ICC profile is kept, so colours stay
   right).

Animations (GIF, animated WebP, APNG) keep every frame, in the original and in
each rendition; their pixel budget counts every frame.
"""

import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.text import slugify
from PIL import Image, ImageFile, ImageOps, ImageSequence, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Pillow reports multi-picture JPEGs (from some cameras) as MPO: the first
# picture is an ordinary JPEG, and that is what is kept.
_FORMAT_ALIASES = {"MPO": "JPEG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
ANIMATED_FORMATS = ("PNG", "WEBP", "GIF")

NOT_ACCEPTED = "This file is not an image we accept (JPEG, PNG, WebP or GIF)."
DAMAGED = "The image file is damaged or incomplete."
EMPTY = "The file is empty."

# Originals are re-encoded once, near losslessly; renditions a little smaller.
_ORIGINAL_QUALITY = 90
_RENDITION_QUALITY = 82
_RGB_MODES = ("RGB", "RGBA")
_PNG_MODES = ("1", "L", "LA", "P", "RGB", "RGBA", "I;16")
_BOMB_SIZE = re.compile(r"\((\d+) pixels\)")


class UploadRejected(ValidationError):
    """An upload that is refused, with the reason to show the person."""

    default_code = "invalid_upload"

    def __init__(self, message, code=None):
        super().__init__(message, code=code or self.default_code)


class ImageRejected(UploadRejected):
    default_code = "invalid_image"


@dataclass(frozen=True)
class EncodedImage:
    width: int
    height: int
    format: str  # one of ACCEPTED_FORMATS
    content: bytes

    @property
    def extension(self):
        return EXTENSIONS[self.format]


@dataclass
class ProcessedImage:
    """An accepted upload: a file name stem, the clean original and its renditions."""

    stem: str
    original: EncodedImage
    renditions: list[EncodedImage] = field(default_factory=list)

    @property
    def name(self):
        return f"{self.stem}.{self.original.extension}"


@dataclass
class _Decoded:
    format: str
    frames: list  # upright, fully decoded PIL images, metadata stripped
    durations: list
    loop: int | None
    icc_profile: bytes | None

    @property
    def size(self):
        return self.frames[0].size

    @property
    def animated(self):
        return len(self.frames) > 1


def megabytes(size):
    """10485760 -> "10", 12897484 -> "12.3" (MB as file managers count them, 2**20)."""
    return f"{size / 2**20:.1f}".removesuffix(".0")


def megapixels(pixels):
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def limits_text():
    """What the upload form says it takes, from the current settings."""
    return (
        f"JPEG, PNG, WebP or GIF, up to {megabytes(settings.BLOG_IMAGE_MAX_BYTES)} MB "
        f"and {megapixels(settings.BLOG_IMAGE_MAX_PIXELS)} megapixels. Location and "
        "camera details (EXIF) are removed."
    )


def _too_many_pixels(width=None, height=None, frames=1, pixels=None):
    limit = megapixels(settings.BLOG_IMAGE_MAX_PIXELS)
    if width and height and frames > 1:
        return ImageRejected(
            f"The animation is {width} × {height} pixels in {frames} frames; "
            f"the limit is {limit} megapixels in all.",
            code="too_many_pixels",
        )
    if width and height:
        return ImageRejected(
            f"The image is {width} × {height} pixels; the limit is {limit} megapixels.",
            code="too_many_pixels",
        )
    size = f"{megapixels(pixels)} megapixels" if pixels else "too large"
    return ImageRejected(
        f"The image is {size}; the limit is {limit} megapixels.", code="too_many_pixels"
    )


def _pillow_bomb(exc):
    """Pillow's own decompression bomb error (or warning made an error), as ours."""
    found = _BOMB_SIZE.search(str(exc))
    return _too_many_pixels(pixels=int(found[1]) if found else None)


def check_size(file):
    """Refuse by the size the upload handler counted, before reading a byte."""
    size = file.size
    if not size:
        raise ImageRejected(EMPTY, code="empty")
    if size > settings.BLOG_IMAGE_MAX_BYTES:
        raise ImageRejected(
            f"The file is {megabytes(size)} MB; "
            f"the limit is {megabytes(settings.BLOG_IMAGE_MAX_BYTES)} MB.",
            code="too_big",
        )


def _open(file):
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Something switched Pillow into accepting truncated files, which
        # would let damaged uploads through; see blog.media.checks.
        raise ImproperlyConfigured("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False.")
    file.seek(0)
    try:
        image = Image.open(file, formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _pillow_bomb(exc) from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(NOT_ACCEPTED, code="not_accepted") from exc
    except Exception as exc:
        # Pillow recognised the header but could not parse it.
        raise ImageRejected(DAMAGED, code="damaged") from exc
    image_format = _FORMAT_ALIASES.get(image.format, image.format)
    if image_format not in ACCEPTED_FORMATS:
        raise ImageRejected(NOT_ACCEPTED, code="not_accepted")
    return image, image_format


def _check_pixels(image, image_format):
    limit = settings.BLOG_IMAGE_MAX_PIXELS
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected(DAMAGED, code="damaged")
    if width * height > limit:
        raise _too_many_pixels(width, height)
    frames = 1
    if image_format in ANIMATED_FORMATS and getattr(image, "is_animated", False):
        # Counting frames reads the file's frame headers, not its pixels.
        frames = image.n_frames
        if width * height * frames > limit:
            raise _too_many_pixels(width, height, frames)
    return frames


def _strip(frame, keep_transparency=True):
    """The frame with every metadata entry Pillow could write back removed."""
    transparency = frame.info.get("transparency")
    frame.info = {}
    if keep_transparency and transparency is not None and frame.mode in ("P", "L", "RGB"):
        frame.info["transparency"] = transparency
    return frame


def _decode(image, image_format, frame_count):
    """Every frame fully decoded and turned upright; damaged files fail here."""
    icc_profile = image.info.get("icc_profile") if image.mode in _RGB_MODES else None
    loop = image.info.get("loop")
    frames, durations = [], []
    try:
        source = ImageSequence.Iterator(image) if frame_count > 1 else [image]
        for frame in source:
            frame.load()
            durations.append(int(frame.info.get("duration") or 0))
            # exif_transpose returns a copy, so the frame is ours to strip.
            frames.append(_strip(ImageOps.exif_transpose(frame)))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _pillow_bomb(exc) from exc
    except Exception as exc:
        raise ImageRejected(DAMAGED, code="damaged") from exc
    finally:
        image.close()
    if len(frames) != frame_count:
        raise ImageRejected(DAMAGED, code="damaged")
    return _Decoded(image_format, frames, durations, loop, icc_profile)


def _to_rgb(frame):
    """RGB or RGBA, whichever keeps the frame's transparency, for resizing and WebP."""
    if frame.mode in _RGB_MODES:
        return frame
    if frame.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # 16-bit greys: scale to 8 bits rather than clip everything above 255.
        frame = frame.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    has_alpha = "A" in frame.mode or "transparency" in frame.info
    return _strip(frame.convert("RGBA" if has_alpha else "RGB"), keep_transparency=False)


def _for_format(frame, image_format):
    """The frame in a mode the output format stores."""
    if image_format == "JPEG":
        return frame if frame.mode in ("L", "RGB") else _to_rgb(frame).convert("RGB")
    if image_format == "PNG":
        return frame if frame.mode in _PNG_MODES else _to_rgb(frame)
    if image_format == "GIF":
        return frame if frame.mode in ("L", "P", "RGB", "RGBA") else _to_rgb(frame)
    return _to_rgb(frame)


def _encode(decoded, frames, image_format, quality):
    frames = [_for_format(frame, image_format) for frame in frames]
    options = {}
    if image_format == "JPEG":
        options.update(quality=quality, optimize=True, progressive=True)
    elif image_format == "WEBP":
        options.update(quality=quality, method=4)
    elif image_format == "PNG":
        options.update(compress_level=6)
    if decoded.icc_profile and frames[0].mode in _RGB_MODES and image_format != "GIF":
        options["icc_profile"] = decoded.icc_profile
    if len(frames) > 1 and image_format in ANIMATED_FORMATS:
        options.update(save_all=True, append_images=frames[1:], duration=decoded.durations)
        if decoded.loop is not None:
            options["loop"] = decoded.loop
        elif image_format == "WEBP":
            options["loop"] = 1  # a GIF with no loop count plays once
        if image_format == "GIF":
            # Frames come out of Pillow fully composed: each replaces the last.
            options["disposal"] = 2
    buffer = io.BytesIO()
    frames[0].save(buffer, image_format, **options)
    width, height = frames[0].size
    return EncodedImage(width, height, image_format, buffer.getvalue())


def _resize(decoded, width):
    source_width, source_height = decoded.size
    height = max(1, round(source_height * width / source_width))
    return [
        _to_rgb(frame).resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for frame in decoded.frames
    ]


def rendition_widths(original_width):
    """The configured widths below the original's, smallest first."""
    return sorted({w for w in settings.BLOG_IMAGE_WIDTHS if 0 < w < original_width})


def _renditions(decoded):
    """Each configured width below the original's in WebP and in the original
    format, plus WebP at full width (the original itself is full width in its
    own format)."""
    width = decoded.size[0]
    formats = [decoded.format] if decoded.format == "WEBP" else ["WEBP", decoded.format]
    renditions = []
    for target in rendition_widths(width):
        frames = _resize(decoded, target)
        renditions += [_encode(decoded, frames, fmt, _RENDITION_QUALITY) for fmt in formats]
    if decoded.format != "WEBP":
        renditions.append(
            _encode(decoded, [_to_rgb(f) for f in decoded.frames], "WEBP", _RENDITION_QUALITY)
        )
    return renditions


def file_stem(name):
    """A safe, readable file name stem from whatever the browser sent."""
    return slugify(PurePath(name or "").stem)[:60].strip("-_") or "image"


def process(file):
    """
    Check an uploaded file and prepare what will be stored. Raises
    ``ImageRejected`` with the reason; stores nothing either way.
    """
    check_size(file)
    image, image_format = _open(file)
    try:
        frame_count = _check_pixels(image, image_format)
    except ImageRejected:
        image.close()
        raise
    except Exception as exc:
        image.close()
        raise ImageRejected(DAMAGED, code="damaged") from exc
    decoded = _decode(image, image_format, frame_count)
    original = _encode(decoded, decoded.frames, image_format, _ORIGINAL_QUALITY)
    return ProcessedImage(
        stem=file_stem(getattr(file, "name", "")),
        original=original,
        renditions=_renditions(decoded),
    )
