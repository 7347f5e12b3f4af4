"""
Attachments of a WXR file: finding their files in the old uploads folder,
storing them in the media library, and rewriting imported bodies so every
URL of an imported file (any host, any ``-300x200`` size variant, in
``src``, ``href``, ``srcset`` or a block's JSON attributes) points at the new
file. A file that was not found keeps its old address, and an ``<img>`` that
would load it (or anything else) from another site becomes a plain link.

URLs are found as URL tokens, not by parsing HTML: the body is stored as
WordPress wrote it (wpautop runs when it renders), and block attributes are
JSON inside HTML comments, which an HTML tree would not show.
"""

import html as html_lib
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.utils.html import escape

from blog.media import files, processing
from blog.media.models import Image, MediaFile

IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "jpe", "png", "gif", "webp"})

# A URL with a host ("https://…", "//…"), or a root-relative uploads path.
_URL = re.compile(
    r"""(?:https?:)?//[^\s"'<>()\[\]{}\\|^`]+"""
    r"""|(?<![\w.:/\-])/[^\s"'<>()\[\]{}\\|^`]*?(?:uploads|files)/[^\s"'<>()\[\]{}\\|^`]+"""
)
# WordPress's resized copies: photo-300x200.jpg beside photo.jpg.
_SIZE = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")
_SEGMENTS = ("/uploads/", "/files/")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ANCHOR = re.compile(r"<(/?)a\b", re.IGNORECASE)
_GALLERY = re.compile(r"\[gallery\b[^\]]*\]", re.IGNORECASE)
_GALLERY_IDS = re.compile(r"""\b(ids|include)\s*=\s*(["']?)([\d,\s]*)\2""", re.IGNORECASE)


def _attribute(tag, name):
    match = re.search(
        rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", tag, re.IGNORECASE
    )
    if match is None:
        return ""
    return html_lib.unescape(next(group for group in match.groups() if group is not None))


def relative_path(url):
    """
    The file's path below the uploads folder, from its URL: what follows the
    last ``uploads/`` or ``files/`` segment, else the whole path (as
    WordPress.com's ``*.files.wordpress.com/2008/06/x.jpg`` has it).
    """
    try:
        path = unquote(urlsplit(url.strip()).path)
    except ValueError:
        return ""
    for segment in _SEGMENTS:
        if segment in path:
            return path.rsplit(segment, 1)[1]
    return path.lstrip("/")


def _key(relative):
    """A file's path without its size suffix: the same key for every size."""
    return _SIZE.sub("", relative.strip("/"))


def find_file(media_dir, attached_file, url):
    """The file of an attachment under ``media_dir``, or None."""
    if not media_dir:
        return None
    root = Path(media_dir).resolve()
    for relative in (attached_file, relative_path(url)):
        relative = (relative or "").strip().lstrip("/")
        if not relative:
            continue
        # The uploads folder itself, or the wp-content folder around it.
        for folder in (root, root / "uploads"):
            candidate = (folder / relative).resolve()
            # Never outside the folder given (../../etc/passwd in the file).
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
    return None


def is_local(url):
    return url.startswith("/") and not url.startswith(("//", "/\\"))


class ImportFailed(Exception):
    """A found file the media library refuses, with the reason."""


def store(path, *, title, alt_text, caption, uploaded_by, dry_run):
    """
    Store the file at ``path`` in the media library: an ``Image`` (with its
    renditions) or a ``MediaFile``. Returns ``(object, stored names)``; a
    dry run checks the file and stores nothing, returning ``(None, [])``.
    """
    extension = PurePosixPath(path.name).suffix.lower().lstrip(".")
    with path.open("rb") as handle:
        upload = File(handle, name=path.name)
        try:
            if extension in IMAGE_EXTENSIONS:
                alt = (alt_text or title or path.stem)[:250]
                if dry_run:
                    processing.process(upload)
                    return None, []
                image = Image.objects.create_from_file(upload, alt_text=alt, caption=caption)
                names = [image.file.name, *(r.file.name for r in image.renditions.all())]
                return image, names
            if dry_run:
                files.check(upload)
                return None, []
            media_file = MediaFile.objects.create_from_file(
                upload, title=(title or path.stem)[:200], uploaded_by=uploaded_by
            )
            return media_file, [media_file.file.name]
        except (processing.ImageRejected, files.FileRejected) as error:
            raise ImportFailed(" ".join(error.messages)) from None
        except Exception as error:  # a ValidationError of a field, an OSError
            raise ImportFailed(str(error)) from None


class UrlMap:
    """Old file URLs (by their path below uploads) → new URLs, or missing."""

    def __init__(self):
        self.found = {}
        self.missing = {}
        self.ids = {}

    def add(self, url, attached_file, new_url, *, wp_id=None, pk=None):
        for relative in {relative_path(url), attached_file or ""}:
            if relative:
                self.found[_key(relative)] = new_url
        if wp_id is not None and pk is not None:
            self.ids[wp_id] = pk

    def add_missing(self, url, attached_file):
        for relative in {relative_path(url), attached_file or ""}:
            if relative:
                self.missing.setdefault(_key(relative), url)

    def __bool__(self):
        return bool(self.found or self.missing)

    def rewrite(self, html):
        """
        ``html`` with every imported file's URL replaced. Returns the new
        text, the old URLs of missing files it mentions, and the addresses
        of images that would have loaded from another site (now links).
        """
        missing = []
        if self.found or self.missing:

            def replace(match):
                token = match.group(0)
                address = re.split(r"[?#]", token, maxsplit=1)[0]
                key = _key(relative_path(address))
                if not key:
                    return token
                new = self.found.get(key)
                if new is not None:
                    return new
                if key in self.missing:
                    missing.append(token)
                return token

            html = _URL.sub(replace, html)
        if self.ids:
            html = _GALLERY.sub(self._gallery, html)
        html, foreign = unload_foreign_images(html, missing=self._is_missing)
        return html, missing, foreign

    def _is_missing(self, url):
        address = re.split(r"[?#]", url, maxsplit=1)[0]
        return bool(self.missing) and _key(relative_path(address)) in self.missing

    def _gallery(self, match):
        def ids(found):
            mapped = [
                str(self.ids[int(n)])
                for n in re.findall(r"\d+", found.group(3))
                if int(n) in self.ids
            ]
            return f'{found.group(1)}="{",".join(mapped)}"'

        return _GALLERY_IDS.sub(ids, match.group(0))


_SRCSET = re.compile(r"""\ssrcset\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE)


def unload_foreign_images(html, missing=lambda url: False):
    """
    Every ``<img>`` whose ``src`` is on another site (or is a file that was
    not found) becomes a link to that address (its alt text, or the file
    name, as the words), or just those words when it already sits inside a
    link; a ``srcset`` naming another site is dropped: a reader's browser
    never loads an image from the old site. Returns the text and the
    addresses.
    """
    foreign = []
    pieces = []
    last = 0
    inside_link = False
    for match in _IMG.finditer(html):
        before = html[last : match.start()]
        for anchor in _ANCHOR.finditer(before):
            inside_link = anchor.group(1) == ""
        pieces.append(before)
        tag = match.group(0)
        src = _attribute(tag, "src").strip()
        if not src or ((is_local(src) or src.startswith("data:")) and not missing(src)):
            pieces.append(_SRCSET.sub(_local_srcset, tag))
        else:
            foreign.append(src)
            words = (
                _attribute(tag, "alt").strip()
                or PurePosixPath(relative_path(src) or src).name
                or src
            )
            if inside_link:
                pieces.append(escape(words))
            else:
                pieces.append(f'<a href="{escape(src)}">{escape(words)}</a>')
        last = match.end()
    pieces.append(html[last:])
    return "".join(pieces), foreign


def _local_srcset(match):
    """A ``srcset`` stays only when every candidate is on this site."""
    value = html_lib.unescape(match.group(0).split("=", 1)[1].strip()[1:-1])
    candidates = [part.strip().split()[0] for part in value.split(",") if part.strip()]
    return match.group(0) if all(is_local(url) for url in candidates) else ""
