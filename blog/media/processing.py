"""
Checking and preparing an uploaded image, all in memory, before anything is stored.

``process(file)`` either raises ``ImageRejected`` with a message meant for the
person uploading, or returns a ``ProcessedImage``: the original re-encoded
upright and without metadata, and its renditions. The checks run cheapest
first, so a hostile file costs as little as possible:

1. the size the upload handler counted (nothing is read before this);
2. the format Pillow detects from the header (never the file name), limited
   to JPEG, PNG, WebP and GIF;
3. width x height against ``BLOG_IMAGE_MAX_PIXELS``, from the header alone
   (Pillow's own ``MAX_IMAGE_PIXELS`` is set from it, so its decompression bomb
   error or warning gets the same message); this bounds the memory a decode
   takes;
4. for animations, the frames: at most ``BLOG_IMAGE_MAX_FRAMES``, and every
   frame's pixels together at most ``BLOG_IMAGE_MAX_ANIMATION_PIXELS`` (and
   never more than one still may have); APNG and WebP declare their frame
   count in the header, a GIF does not, so its frames are counted while they
   are decoded and decoding stops at the first frame over the budget;
5. a full decode (``load()``), which is where truncated files fail;
6. EXIF orientation applied, then every frame re-encoded with no EXIF, GPS,
   XMP, comments or text chunks (an RGB ICC profile is kept, so colours stay
   right).

Animations (GIF, animated WebP, APNG) keep every frame, in the original and in
each rendition. The work after the checks is bounded by them: renditions are
made largest first, each from the next wider one, animations' in WebP only,
and a full-width WebP only for an original no wider than the widest configured
width (pages never ask for more).
"""

import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template.defaultfilters import pluralize
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


def animation_budget():
    """The most pixels all the frames of an animation may have together."""
    return min(settings.BLOG_IMAGE_MAX_PIXELS, settings.BLOG_IMAGE_MAX_ANIMATION_PIXELS)


def _frames_allowed(width, height):
    return max(1, min(settings.BLOG_IMAGE_MAX_FRAMES, animation_budget() // (width * height)))


def _too_many_frames(width, height, frames, more_than=False):
    """An animation over its budget; ``more_than``: decoding stopped at ``frames``."""
    count = f"more than {frames} frame{pluralize(frames)}" if more_than else f"{frames} frames"
    most = settings.BLOG_IMAGE_MAX_FRAMES
    if most <= animation_budget() // (width * height):
        # The frame count, not their size, is what is over.
        return ImageRejected(
            f"The animation has {count}; the limit is {most} frames.", code="too_many_frames"
        )
    return ImageRejected(
        f"The animation is {width} × {height} pixels in {count}; "
        f"the limit is {megapixels(animation_budget())} megapixels in all.",
        code="too_many_pixels",
    )


def _too_many_pixels(width=None, height=None, pixels=None):
    limit = megapixels(settings.BLOG_IMAGE_MAX_PIXELS)
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
    """
    The number of frames (None: an animated GIF, counted while decoding) once
    the header's sizes are within the limits.
    """
    width, height = image.size
    if width < 1 or height < 1:
        raise ImageRejected(DAMAGED, code="damaged")
    if width * height > settings.BLOG_IMAGE_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    if image_format not in ANIMATED_FORMATS or not getattr(image, "is_animated", False):
        return 1
    if image_format == "GIF":
        # Only stepping through every frame would count them (seconds, for a
        # file of many tiny frames); _decode counts them as it goes.
        return None
    # APNG and WebP say how many frames they hold in the header.
    frames = image.n_frames
    if frames > _frames_allowed(width, height):
        raise _too_many_frames(width, height, frames)
    return frames


def _strip(frame, keep_transparency=True):
    """The frame with every metadata entry Pillow could write back removed."""
    transparency = frame.info.get("transparency")
    frame.info = {}
    if keep_transparency and transparency is not None and frame.mode in ("P", "L", "RGB"):
        frame.info["transparency"] = transparency
    return frame


def _decode(image, image_format, frame_count):
    """
    Every frame fully decoded and turned upright; damaged files fail here, and
    an animation stops at the first frame over its budget.
    """
    icc_profile = image.info.get("icc_profile") if image.mode in _RGB_MODES else None
    loop = image.info.get("loop")
    width, height = image.size
    allowed = _frames_allowed(width, height)
    frames, durations = [], []
    try:
        source = ImageSequence.Iterator(image) if frame_count != 1 else [image]
        for frame in source:
            if len(frames) == allowed:
                raise _too_many_frames(width, height, allowed, more_than=True)
            frame.load()
            durations.append(int(frame.info.get("duration") or 0))
            # exif_transpose returns a copy, so the frame is ours to strip.
            frames.append(_strip(ImageOps.exif_transpose(frame)))
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _pillow_bomb(exc) from exc
    except Exception as exc:
        raise ImageRejected(DAMAGED, code="damaged") from exc
    finally:
        image.close()
    if frame_count is not None and len(frames) != frame_count:
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
        if frame.mode == "RGB":
            # Pillow's own conversion (median cut) takes three times as long.
            return frame.quantize(256, method=Image.Quantize.FASTOCTREE)
        return frame if frame.mode in ("L", "P", "RGBA") else _to_rgb(frame)
    return _to_rgb(frame)


def _encode(decoded, frames, image_format, quality):
    frames = [_for_format(frame, image_format) for frame in frames]
    options = {}
    if image_format == "JPEG":
        options.update(quality=quality, optimize=True, progressive=True)
    elif image_format == "WEBP":
        # Animations at a faster setting: each frame is a picture to encode.
        options.update(quality=quality, method=4 if len(frames) == 1 else 2)
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


def _resize(decoded, frames, width):
    """``frames`` (RGB or RGBA, any size) at ``width``, in the original's proportions."""
    source_width, source_height = decoded.size
    height = max(1, round(source_height * width / source_width))
    return [
        frame.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for frame in frames
    ]


def rendition_widths(original_width):
    """The configured widths below the original's, smallest first."""
    return sorted({w for w in settings.BLOG_IMAGE_WIDTHS if 0 < w < original_width})


def _renditions(decoded):
    """
    Each configured width below the original's in WebP and in the original
    format, plus WebP at full width when no configured width is wider (the
    original itself is full width in its own format; pages ask for no width
    past the widest configured one, and a WebP of a 40-megapixel original
    would take seconds to make).

    Animations get WebP renditions only. Frames are made RGB once, and each
    width is resized from the next wider one, largest first: each step reads
    a few times fewer pixels than the full original.
    """
    width = decoded.size[0]
    formats = [decoded.format] if decoded.format == "WEBP" else ["WEBP", decoded.format]
    if decoded.animated:
        # Smaller animations in WebP only (every browser shows it): a GIF
        # rendition means quantizing every frame again, for the rare browser
        # without WebP, which gets the original instead.
        formats = ["WEBP"]
    full = [_to_rgb(frame) for frame in decoded.frames]
    renditions, frames = [], full
    for target in reversed(rendition_widths(width)):
        frames = _resize(decoded, frames, target)
        renditions[:0] = [_encode(decoded, frames, fmt, _RENDITION_QUALITY) for fmt in formats]
    if decoded.format != "WEBP" and width <= max(settings.BLOG_IMAGE_WIDTHS, default=width):
        renditions.append(_encode(decoded, full, "WEBP", _RENDITION_QUALITY))
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
