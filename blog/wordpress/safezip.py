"""
A zip of WordPress's uploads folder, checked and unpacked without trusting it.

Refused: absolute names, ``..``, drive letters, symbolic links and other
special files, more members or more bytes than the settings allow, and
members that unpack to more than they declare or compress suspiciously well
(zip bombs). ``check_zip`` reads only the central directory, so the upload
form can refuse a hostile zip at once; ``extract_zip`` checks again while
writing, counting the bytes actually produced.
"""

import stat
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings

CHUNK = 1024 * 1024
# A member this much smaller compressed than unpacked is a zip bomb: photos
# and PDFs barely compress, text rarely beyond 20:1.
MAX_RATIO = 200
# Small members may compress well (an empty or repetitive text file).
RATIO_FLOOR = 1024 * 1024


class UnsafeZip(Exception):
    """The zip is refused; the message says why, naming the member."""


def _member_path(info):
    name = info.filename.replace("\\", "/")
    if "\x00" in name:
        raise UnsafeZip(f"{info.filename!r}: a file name with a NUL byte.")
    path = PurePosixPath(name)
    if name.startswith("/") or (path.parts and ":" in path.parts[0]):
        raise UnsafeZip(f"{info.filename!r}: an absolute path.")
    if ".." in path.parts:
        raise UnsafeZip(f"{info.filename!r}: a path that climbs out of the folder ('..').")
    # Unix zips keep the file's mode; many tools leave its type bits out.
    kind = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        kind = "a symbolic link" if kind == stat.S_IFLNK else "a special file"
        raise UnsafeZip(f"{info.filename!r}: {kind}.")
    parts = [part for part in path.parts if part not in ("", ".")]
    return PurePosixPath(*parts) if parts else None


def check_zip(source):
    """
    Check a zip's directory (a path or a binary file object); return the list
    of ``(ZipInfo, relative path)`` to unpack. Raises UnsafeZip.
    """
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UnsafeZip(f"Not a readable zip file ({error}).") from error
    with archive:
        infos = archive.infolist()
    max_files = settings.BLOG_IMPORT_ZIP_MAX_FILES
    max_bytes = settings.BLOG_IMPORT_ZIP_MAX_BYTES
    if len(infos) > max_files:
        raise UnsafeZip(f"{len(infos):,} files in the zip: at most {max_files:,} are accepted.")
    members, total = [], 0
    for info in infos:
        path = _member_path(info)
        if info.flag_bits & 0x1:
            raise UnsafeZip(f"{info.filename!r}: encrypted files cannot be unpacked.")
        total += info.file_size
        if total > max_bytes:
            raise UnsafeZip(
                f"The zip unpacks to more than {max_bytes:,} bytes: too large to unpack here."
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeZip(
                f"{info.filename!r}: compressed more than {MAX_RATIO}:1, as zip bombs are."
            )
        if path is not None:
            members.append((info, path))
    return members


def extract_zip(source, destination):
    """Unpack a checked zip into the folder ``destination``; raises UnsafeZip."""
    destination = Path(destination).resolve()
    members = check_zip(source)
    max_bytes = settings.BLOG_IMPORT_ZIP_MAX_BYTES
    written = 0
    with zipfile.ZipFile(source) as archive:
        for info, relative in members:
            target = (destination / relative).resolve()
            if not target.is_relative_to(destination):
                raise UnsafeZip(f"{info.filename!r}: a path outside the folder.")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            size = 0
            try:
                with archive.open(info) as member, open(target, "xb") as out:
                    while chunk := member.read(CHUNK):
                        size += len(chunk)
                        written += len(chunk)
                        # The directory may lie about sizes: count what comes out.
                        if size > info.file_size or written > max_bytes:
                            raise UnsafeZip(f"{info.filename!r}: unpacks to more than it declares.")
                        out.write(chunk)
            except FileExistsError as error:
                raise UnsafeZip(f"{info.filename!r}: the same file twice.") from error
            except (zipfile.BadZipFile, EOFError, NotImplementedError) as error:
                raise UnsafeZip(f"{info.filename!r}: cannot be unpacked ({error}).") from error
    return destination


def uploads_root(folder):
    """
    The folder that holds the year folders, whichever folder was zipped:
    ``uploads/``, ``wp-content/`` or the whole site. Descends through folders
    that are alone in their parent.
    """
    folder = Path(folder)
    for candidate in (folder / "wp-content" / "uploads", folder / "uploads"):
        if candidate.is_dir():
            return candidate
    for _ in range(5):
        entries = [
            entry
            for entry in folder.iterdir()
            if not entry.name.startswith(".") and entry.name != "__MACOSX"
        ]
        if len(entries) != 1 or not entries[0].is_dir() or entries[0].name.isdigit():
            break
        folder = entries[0]
        nested = folder / "wp-content" / "uploads"
        if nested.is_dir():
            return nested
        if (folder / "uploads").is_dir():
            return folder / "uploads"
    return folder
