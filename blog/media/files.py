"""
Checking an uploaded audio, video or document file before anything is stored.

``check(file)`` either raises ``FileRejected`` with a message meant for the
person uploading, or returns a ``CheckedFile`` saying what the file is. A file
is accepted only when its extension is one of ``TYPES`` *and* its first bytes
(the "magic number") show the container that extension promises; the browser's
``Content-Type`` is never read. The checks run cheapest first:

1. empty files, and extensions we do not accept (HTML, SVG, scripts, ...);
2. the size the upload handler counted, against the limit for the kind
   (``BLOG_AUDIO_MAX_BYTES``, ``BLOG_VIDEO_MAX_BYTES``, ``BLOG_DOCUMENT_MAX_BYTES``);
3. the first bytes of the content, which must match the extension.

The stored name is ours (a slug of the original name plus the canonical
extension of the sniffed type), so only these extensions ever reach storage
and a web server maps each to an audio, video or PDF type: nothing uploaded
here is ever served as HTML, SVG or script.
"""

import struct
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.text import slugify

from .processing import UploadRejected, megabytes

AUDIO, VIDEO, DOCUMENT = "audio", "video", "document"

# How many bytes are read to recognise a file.
_HEAD_SIZE = 64


@dataclass(frozen=True)
class FileType:
    kind: str
    mime_type: str
    container: str  # what ``sniff`` must find in the content
    label: str  # for messages: 'MP3 audio'


# Every extension accepted, and what its content must be.
TYPES = {
    "mp3": FileType(AUDIO, "audio/mpeg", "mp3", "MP3 audio"),
    "m4a": FileType(AUDIO, "audio/mp4", "m4a", "M4A audio"),
    "ogg": FileType(AUDIO, "audio/ogg", "ogg", "Ogg audio"),
    "oga": FileType(AUDIO, "audio/ogg", "ogg", "Ogg audio"),
    "wav": FileType(AUDIO, "audio/wav", "wav", "WAV audio"),
    "flac": FileType(AUDIO, "audio/flac", "flac", "FLAC audio"),
    "mp4": FileType(VIDEO, "video/mp4", "mp4", "MP4 video"),
    "m4v": FileType(VIDEO, "video/mp4", "mp4", "MP4 video"),
    "webm": FileType(VIDEO, "video/webm", "webm", "WebM video"),
    "ogv": FileType(VIDEO, "video/ogg", "ogg", "Ogg video"),
    "pdf": FileType(DOCUMENT, "application/pdf", "pdf", "a PDF document"),
}

# The one extension a stored file gets for each MIME type: the name says the type.
EXTENSIONS = {
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/ogg": "ogg",
    "audio/wav": "wav",
    "audio/flac": "flac",
    "video/mp4": "mp4",
    "video/webm": "webm",
    "video/ogg": "ogv",
    "application/pdf": "pdf",
}

# What a stored file's extension is served as (the inverse of EXTENSIONS).
MIME_TYPES = {extension: mime_type for mime_type, extension in EXTENSIONS.items()}

ALLOWED = (
    "We accept audio (MP3, M4A, Ogg, WAV or FLAC), video (MP4, WebM or Ogg) and PDF documents."
)
EMPTY = "The file is empty."

# ISO base media (MP4) brands that are pictures, not video: HEIC, AVIF, ...
_IMAGE_BRANDS = {
    b"avif", b"avis", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx",
    b"mif1", b"msf1", b"crx ", b"jpx ", b"jp2 ",
}  # fmt: skip
_AUDIO_BRANDS = {b"M4A ", b"M4B "}


class FileRejected(UploadRejected):
    default_code = "invalid_file"


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: what it is, and what it was called."""

    kind: str
    mime_type: str
    size: int
    original_name: str


def max_bytes(kind):
    return {
        AUDIO: settings.BLOG_AUDIO_MAX_BYTES,
        VIDEO: settings.BLOG_VIDEO_MAX_BYTES,
        DOCUMENT: settings.BLOG_DOCUMENT_MAX_BYTES,
    }[kind]


def limits_text():
    """What the upload form says it takes, from the current settings."""
    return (
        f"Audio (MP3, M4A, Ogg, WAV, FLAC) up to {megabytes(max_bytes(AUDIO))} MB, "
        f"video (MP4, WebM, Ogg) up to {megabytes(max_bytes(VIDEO))} MB, "
        f"PDF documents up to {megabytes(max_bytes(DOCUMENT))} MB."
    )


def accept_attribute():
    """The file input's ``accept``: every extension and its MIME type."""
    extensions = [f".{extension}" for extension in TYPES]
    return ",".join([*extensions, *EXTENSIONS])


def file_stem(name):
    """A safe, readable file name stem from whatever the browser sent."""
    return slugify(PurePath(name or "").stem)[:60].strip("-_") or "file"


def stored_name(original_name, mime_type):
    """The name a file is stored under: a slug of the original name and *our* extension."""
    return f"{file_stem(original_name)}.{EXTENSIONS[mime_type]}"


def extension_of(name):
    suffix = PurePath(name or "").suffix
    return suffix[1:].lower() if suffix else ""


# -- recognising content --------------------------------------------------------


def _mpeg_frame(head):
    """An MPEG audio frame header: 11 sync bits, a real version and layer."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    bitrate = head[2] >> 4
    sample_rate = (head[2] >> 2) & 0b11
    # 01 version, 00 layer (ADTS AAC), bitrate 1111 and rate 11 are reserved.
    return version != 0b01 and layer != 0b00 and bitrate != 0b1111 and sample_rate != 0b11


def _id3(head):
    """An ID3v2 tag: 'ID3', a version, flags and a 'syncsafe' size (high bits clear)."""
    return (
        len(head) >= 10
        and head[:3] == b"ID3"
        and head[3] < 0xFF
        and head[4] < 0xFF
        and all(byte < 0x80 for byte in head[6:10])
    )


def _ftyp_brand(head):
    """The major brand of an ISO base media (MP4) file's 'ftyp' box, or None."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    (box_size,) = struct.unpack(">I", head[:4])
    return head[8:12] if box_size >= 16 else None


def _webm(head):
    """An EBML header whose DocType is 'webm' (not Matroska in general)."""
    return head[:4] == b"\x1a\x45\xdf\xa3" and b"\x42\x82\x84webm" in head


def sniff(head):
    """The container the first bytes show, as a ``FileType.container``; None if none."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if _webm(head):
        return "webm"
    brand = _ftyp_brand(head)
    if brand is not None:
        if brand in _IMAGE_BRANDS:
            return None
        return "m4a" if brand in _AUDIO_BRANDS else "mp4"
    if _id3(head) or _mpeg_frame(head):
        return "mp3"
    return None


def _read_head(file):
    file.seek(0)
    head = file.read(_HEAD_SIZE)
    file.seek(0)
    return head


# -- the check --------------------------------------------------------------------


def check(file):
    """
    Check an uploaded file: its extension, its size for its kind, its content.
    Raises ``FileRejected`` with the reason; reads only the first bytes.
    """
    name = PurePath(getattr(file, "name", "") or "").name
    if not file.size:
        raise FileRejected(EMPTY, code="empty")
    extension = extension_of(name)
    file_type = TYPES.get(extension)
    if file_type is None:
        what = f"“.{extension}” files" if extension else "Files without an extension"
        raise FileRejected(f"{what} are not accepted. {ALLOWED}", code="not_accepted")
    limit = max_bytes(file_type.kind)
    if file.size > limit:
        raise FileRejected(
            f"The file is {megabytes(file.size)} MB; "
            f"the limit for {file_type.kind} files is {megabytes(limit)} MB.",
            code="too_big",
        )
    if sniff(_read_head(file)) != file_type.container:
        raise FileRejected(
            f"The file's content is not {file_type.label}, as “.{extension}” says. {ALLOWED}",
            code="content_mismatch",
        )
    return CheckedFile(
        kind=file_type.kind,
        mime_type=file_type.mime_type,
        size=file.size,
        original_name=name[:255],
    )
