"""
Responsive markup for library images.

Every library image is shown the same way, in a post body or as a featured
image::

    <picture>
      <source type="image/webp" srcset="a-480w.webp 480w, ..., a-2000w.webp 2000w" sizes="...">
      <img src="a.jpg" srcset="a-480w.jpg 480w, ..., a.jpg 2000w" sizes="..."
           width="2000" height="1500" alt="..." loading="lazy" decoding="async">
    </picture>

WebP where the browser takes it, the original format otherwise, and width and
height so the browser reserves the space before the image arrives. WebP
originals need no ``<picture>``: the ``<img>`` alone carries the srcset.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe

from .processing import MIME_TYPES

DEFAULT_SIZES = "(max-width: 46rem) 100vw, 46rem"

# A <picture> is left whole (it is already responsive, or an author's own);
# an <img> tag is matched with quoted attribute values that may hold ">".
_TAGS = re.compile(
    r"""<picture\b.*?</picture\s*>|<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.IGNORECASE | re.DOTALL,
)
# What responsive_images writes; an author's own values for these give way.
_MANAGED = frozenset({"src", "srcset", "sizes", "width", "height", "loading", "decoding"})


@dataclass
class Candidate:
    url: str
    width: int


@dataclass
class Picture:
    """What the markup needs about one library image."""

    url: str
    width: int
    height: int
    format: str
    candidates: dict = field(default_factory=dict)  # format -> [Candidate], by width

    def srcset(self, image_format):
        candidates = sorted(self.candidates.get(image_format, []), key=lambda c: c.width)
        if image_format == self.format and not any(c.width == self.width for c in candidates):
            candidates.append(Candidate(self.url, self.width))
        return ", ".join(f"{c.url} {c.width}w" for c in candidates)

    @classmethod
    def from_image(cls, image):
        """From an Image whose renditions are (ideally) prefetched."""
        picture = cls(image.url, image.width, image.height, image.format)
        for rendition in image.renditions.all():
            picture.add(rendition.url, rendition.width, rendition.format)
        return picture

    def add(self, url, width, image_format):
        self.candidates.setdefault(image_format, []).append(Candidate(url, width))


def render(picture, *, alt, sizes=DEFAULT_SIZES, attrs=(), loading="lazy"):
    """
    The escaped markup for one picture. ``attrs`` are further ``(name, value)``
    pairs for the ``<img>`` (class, title...), already vetted by the caller.
    """
    img_attrs = [
        ("src", picture.url),
        ("srcset", picture.srcset(picture.format)),
        ("sizes", sizes),
        ("width", str(picture.width)),
        ("height", str(picture.height)),
        ("alt", alt),
        *attrs,
        ("loading", loading),
        ("decoding", "async"),
    ]
    img = format_html(
        "<img {}>",
        format_html_join(" ", '{}="{}"', ((n, v) for n, v in img_attrs if v is not None)),
    )
    if picture.format == "WEBP" or not picture.candidates.get("WEBP"):
        return img
    return format_html(
        '<picture><source type="{}" srcset="{}" sizes="{}">{}</picture>',
        MIME_TYPES["WEBP"],
        picture.srcset("WEBP"),
        sizes,
        img,
    )


class _Attributes(HTMLParser):
    """The attributes of one start tag, in order, with entities decoded."""

    def __init__(self, tag):
        super().__init__(convert_charrefs=True)
        self.attrs = []
        self.feed(tag)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.attrs = [(name, value) for name, value in attrs]

    handle_startendtag = handle_starttag


def _storage():
    from .models import Image

    return Image._meta.get_field("file").storage


def _storage_name(src, prefix):
    """The storage name a library URL points at, or None if it isn't one."""
    if not src or not prefix or not src.startswith(prefix):
        return None
    name = unquote(src[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
    # Only originals, never renditions or anything climbing out of the folder.
    if not name.startswith("images/") or "/renditions/" in name or ".." in name.split("/"):
        return None
    return name


def library_pictures(names, image_model=None):
    """
    Library images by storage name, with their renditions: one query.
    ``image_model`` is ``Image`` by default (a migration passes its historical one).
    """
    if image_model is None:
        from .models import Image as image_model

    rows = image_model._base_manager.filter(file__in=names).values_list(
        "file", "width", "height", "format", "renditions__file", "renditions__width",
        "renditions__format",
    )  # fmt: skip
    pictures = {}
    storage = _storage()
    for name, width, height, image_format, r_name, r_width, r_format in rows:
        picture = pictures.get(name)
        if picture is None:
            picture = pictures[name] = Picture(storage.url(name), width, height, image_format)
        if r_name:
            picture.add(storage.url(r_name), r_width, r_format)
    return pictures


def responsive_images(html, *, pictures=None):
    """
    Give every ``<img>`` in sanitised HTML that shows a library original its
    srcset, sizes, width, height, lazy loading and async decoding (wrapped in
    ``<picture>`` for WebP). Other images and everything else are untouched.
    One query, however many images. Safe input gives safe output.

    ``pictures`` takes a set of storage names and returns ``{name: Picture}``
    (``library_pictures`` over the current models by default; a migration
    passes one over its historical models). Posts store the result when they are
    saved (``blog/posts/derived.py``), so pages never run this per view.
    """
    if not html or "<img" not in html.lower():
        return html
    # The storage's root address; S3's storage has no address for "" itself.
    prefix = _storage().url("images/").removesuffix("images/")
    found = []  # (match, storage name, attributes)
    for match in _TAGS.finditer(html):
        if match[0][:4].lower() != "<img":
            continue
        attrs = _Attributes(match[0]).attrs
        name = _storage_name(dict(attrs).get("src"), prefix)
        if name:
            found.append((match, name, attrs))
    if not found:
        return html
    pictures = (pictures or library_pictures)({name for _match, name, _attrs in found})
    parts, position = [], 0
    for match, name, attrs in found:
        picture = pictures.get(name)
        if picture is None:
            continue
        kept = [(n, v) for n, v in attrs if n not in _MANAGED and n != "alt" and v is not None]
        alt = dict(attrs).get("alt") or ""
        parts += [html[position : match.start()], render(picture, alt=alt, attrs=kept)]
        position = match.end()
    parts.append(html[position:])
    result = "".join(str(part) for part in parts)
    return mark_safe(result) if isinstance(html, SafeData) else result  # noqa: S308
