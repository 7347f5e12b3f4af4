"""Audio, video and PDFs in the media library: what is accepted or refused, and how it is named."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.views.static import serve

from blog.media import files
from blog.media.files import FileRejected
from blog.media.models import MediaFile
from tests.media.factories import (
    MPEG_FRAME,
    SAMPLE_HEADS,
    MediaFileFactory,
    _box,
    _ebml,
    image_bytes,
    sample_bytes,
    sample_upload,
    upload,
)

pytestmark = pytest.mark.django_db

MIB = 2**20
STORED = re.compile(r"files/\d{4}/\d{2}/[a-z0-9_-]+\.(mp3|m4a|ogg|wav|flac|mp4|webm|ogv|pdf)")
ALLOWED = (
    "We accept audio (MP3, M4A, Ogg, WAV or FLAC), video (MP4, WebM or Ogg) and PDF documents."
)
PDF_HEADER = SAMPLE_HEADS["pdf"]


@pytest.fixture(autouse=True)
def _file_limits(settings):
    """The documented defaults, whatever the environment says."""
    settings.BLOG_AUDIO_MAX_BYTES = 50 * MIB
    settings.BLOG_VIDEO_MAX_BYTES = 200 * MIB
    settings.BLOG_DOCUMENT_MAX_BYTES = 20 * MIB


def refusal(file):
    with pytest.raises(FileRejected) as caught:
        files.check(file)
    (message,) = caught.value.messages
    return caught.value.code, message


# -- accepted ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "kind", "mime_type", "stored_extension"),
    [
        ("mp3", "audio", "audio/mpeg", "mp3"),
        ("mp3-frames", "audio", "audio/mpeg", "mp3"),
        ("m4a", "audio", "audio/mp4", "m4a"),
        ("ogg", "audio", "audio/ogg", "ogg"),
        ("oga", "audio", "audio/ogg", "ogg"),
        ("wav", "audio", "audio/wav", "wav"),
        ("flac", "audio", "audio/flac", "flac"),
        ("mp4", "video", "video/mp4", "mp4"),
        ("m4v", "video", "video/mp4", "mp4"),
        ("webm", "video", "video/webm", "webm"),
        ("ogv", "video", "video/ogg", "ogv"),
        ("pdf", "document", "application/pdf", "pdf"),
    ],
)
def test_each_accepted_type_is_stored_with_what_it_is(
    sample, kind, mime_type, stored_extension, stored_files, author
):
    media_file = MediaFileFactory(
        file=sample_upload(sample, name=f"My Recording.{sample.split('-')[0]}"),
        title="Interview",
        uploaded_by=author,
    )

    media_file.refresh_from_db()
    assert (media_file.kind, media_file.mime_type, media_file.file_size) == (
        kind,
        mime_type,
        1024,
    )
    assert media_file.original_name == f"My Recording.{sample.split('-')[0]}"
    assert media_file.uploaded_by == author
    assert media_file.created_at is not None
    assert STORED.fullmatch(media_file.file.name)
    assert media_file.file.name.endswith(f"/my-recording.{stored_extension}")
    assert media_file.content_type == mime_type
    assert stored_files() == [media_file.file.name]
    with media_file.file.open("rb") as stored:
        assert stored.read() == sample_bytes(sample)  # stored as uploaded, byte for byte


def test_extensions_are_read_in_any_case():
    checked = files.check(sample_upload("pdf", name="REPORT.PDF"))

    assert (checked.kind, checked.mime_type, checked.original_name) == (
        "document",
        "application/pdf",
        "REPORT.PDF",
    )


def test_a_file_exactly_at_the_limit_is_accepted(settings):
    settings.BLOG_AUDIO_MAX_BYTES = MIB

    assert files.check(sample_upload("mp3", size=MIB)).size == MIB


# -- refused ----------------------------------------------------------------------

HTML_WITH_PDF_HEADER = PDF_HEADER + b"<html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>'


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("page.html", HTML_WITH_PDF_HEADER, id="html-with-pdf-header"),
        pytest.param("page.htm", HTML_WITH_PDF_HEADER, id="htm"),
        pytest.param("page.xhtml", HTML_WITH_PDF_HEADER, id="xhtml-with-pdf-header"),
        pytest.param("drawing.svg", SVG, id="svg"),
        pytest.param("drawing.svg", PDF_HEADER + SVG, id="svg-with-pdf-header"),
        pytest.param("app.js", PDF_HEADER + b"alert(1)", id="js-with-pdf-header"),
        pytest.param("app.mjs", b"export default 1", id="mjs"),
        pytest.param("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, id="exe"),
        pytest.param("run.sh", b"#!/bin/sh\nrm -rf /\n", id="shell"),
        pytest.param("index.php", b"<?php system($_GET['c']); ?>", id="php"),
        pytest.param("photo.jpg", image_bytes("JPEG", (20, 20)), id="image"),
        pytest.param("evil.pdf.html", HTML_WITH_PDF_HEADER, id="double-extension"),
        pytest.param("film.mkv", _ebml(b"matroska"), id="mkv"),
    ],
)
def test_types_we_do_not_accept_are_refused_by_their_name(name, content):
    extension = name.rsplit(".", 1)[1]

    assert refusal(upload(content, name, "application/pdf")) == (
        "not_accepted",
        f"“.{extension}” files are not accepted. {ALLOWED}",
    )


def test_a_file_without_an_extension_is_refused():
    assert refusal(upload(PDF_HEADER, "report", "application/pdf")) == (
        "not_accepted",
        f"Files without an extension are not accepted. {ALLOWED}",
    )


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        pytest.param("scan.pdf", image_bytes("JPEG", (20, 20)), "a PDF document", id="jpeg-as-pdf"),
        pytest.param("scan.pdf", image_bytes("PNG", (20, 20)), "a PDF document", id="png-as-pdf"),
        pytest.param("song.mp3", sample_bytes("pdf"), "MP3 audio", id="pdf-as-mp3"),
        pytest.param("page.pdf", b"<!DOCTYPE html><html>%PDF-1.4", "a PDF document", id="html"),
        pytest.param("report.pdf", b"\n%PDF-1.4\n", "a PDF document", id="pdf-not-at-start"),
        pytest.param("drawing.pdf", SVG, "a PDF document", id="svg-as-pdf"),
        pytest.param("song.mp3", b"<script>alert(1)</script>", "MP3 audio", id="script-as-mp3"),
        pytest.param("song.mp3", b"\xff\xf1\x50\x80" + b"\x00" * 60, "MP3 audio", id="aac-adts"),
        pytest.param("song.flac", sample_bytes("ogg"), "FLAC audio", id="ogg-as-flac"),
        pytest.param("song.wav", image_bytes("WEBP", (20, 20)), "WAV audio", id="webp-as-wav"),
        pytest.param("song.m4a", sample_bytes("mp4"), "M4A audio", id="mp4-as-m4a"),
        pytest.param("clip.mp4", sample_bytes("m4a"), "MP4 video", id="m4a-as-mp4"),
        pytest.param(
            "clip.mp4", _box(b"ftyp", b"avif\x00\x00\x00\x00avifmif1"), "MP4 video", id="avif"
        ),
        pytest.param(
            "clip.mp4", _box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic"), "MP4 video", id="heic"
        ),
        pytest.param("clip.webm", _ebml(b"matroska"), "WebM video", id="matroska-as-webm"),
        pytest.param("clip.webm", sample_bytes("pdf"), "WebM video", id="pdf-as-webm"),
        pytest.param("clip.ogv", sample_bytes("webm"), "Ogg video", id="webm-as-ogv"),
        pytest.param("sound.ogg", MPEG_FRAME + b"\x00" * 60, "Ogg audio", id="mp3-as-ogg"),
    ],
)
def test_content_that_is_not_what_the_extension_says_is_refused(name, content, label):
    extension = name.rsplit(".", 1)[1]

    assert refusal(upload(content, name, "application/pdf")) == (
        "content_mismatch",
        f"The file's content is not {label}, as “.{extension}” says. {ALLOWED}",
    )


def test_an_empty_file_is_refused():
    assert refusal(upload(b"", "report.pdf", "application/pdf")) == ("empty", "The file is empty.")


@pytest.mark.parametrize(
    ("setting", "sample", "kind"),
    [
        ("BLOG_AUDIO_MAX_BYTES", "mp3", "audio"),
        ("BLOG_VIDEO_MAX_BYTES", "webm", "video"),
        ("BLOG_DOCUMENT_MAX_BYTES", "pdf", "document"),
    ],
)
def test_each_kind_has_its_own_size_limit(settings, setting, sample, kind):
    setattr(settings, setting, MIB)
    too_big = sample_upload(sample, size=MIB + MIB // 2)

    assert refusal(too_big) == (
        "too_big",
        f"The file is 1.5 MB; the limit for {kind} files is 1 MB.",
    )
    # The other kinds' limits are unchanged: the same size passes for them.
    for other in {"mp3", "webm", "pdf"} - {sample}:
        assert files.check(sample_upload(other, size=MIB + MIB // 2))


def test_the_size_is_checked_before_the_content_is_read(settings):
    settings.BLOG_VIDEO_MAX_BYTES = MIB

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before the size was checked")

    too_big = Unreadable("clip.mp4", b"x" * (2 * MIB), content_type="video/mp4")
    assert refusal(too_big)[0] == "too_big"


def test_a_refused_file_stores_nothing(stored_files):
    with pytest.raises(FileRejected):
        MediaFile.objects.create_from_file(
            upload(HTML_WITH_PDF_HEADER, "page.html", "text/html"), title="Page"
        )

    assert MediaFile.objects.count() == 0
    assert stored_files() == []


# -- names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("original", "sample", "stored"),
    [
        ("My Holiday Film (final).MP4", "mp4", "my-holiday-film-final.mp4"),
        ("evil.html.pdf", "pdf", "evilhtml.pdf"),
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("Ünïcödé Ñame.ogg", "ogg", "unicode-name.ogg"),
        ("podcast.oga", "oga", "podcast.ogg"),
        ("trailer.m4v", "m4v", "trailer.mp4"),
        ("%%%.pdf", "pdf", "file.pdf"),
        ("<script>.wav", "wav", "script.wav"),
    ],
)
def test_stored_names_are_ours(original, sample, stored):
    media_file = MediaFileFactory(file=sample_upload(sample, name=original))

    assert STORED.fullmatch(media_file.file.name)
    assert media_file.file.name.rsplit("/", 1)[1] == stored
    assert media_file.original_name == original.rsplit("/", 1)[-1]


def test_the_same_name_twice_gets_two_files_with_our_extension(stored_files):
    first = MediaFileFactory(file=sample_upload("pdf", name="report.pdf"))
    second = MediaFileFactory(file=sample_upload("pdf", name="report.pdf"))

    assert first.file.name != second.file.name
    assert all(name.endswith(".pdf") and "/report" in name for name in stored_files())
    assert len(stored_files()) == 2


def test_a_file_that_was_not_checked_cannot_be_stored(stored_files):
    unchecked = MediaFile(title="Sneaky", file=upload(HTML_WITH_PDF_HEADER, "x.html", "text/html"))

    with pytest.raises(ValueError, match="Not an accepted type"):
        unchecked.save()
    assert stored_files() == []


def test_a_title_is_required_when_storing_directly():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        MediaFile.objects.create_from_file(sample_upload("pdf"), title="")
    assert "title" in caught.value.message_dict


# -- serving ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sample", "served_as"),
    [
        ("mp3", "audio/mpeg"),
        ("m4a", "audio/mp4"),
        ("oga", "audio/ogg"),
        ("wav", "audio/wav"),
        ("flac", "audio/flac"),
        ("mp4", "video/mp4"),
        ("webm", "video/webm"),
        ("ogv", "video/ogg"),
        ("pdf", "application/pdf"),
    ],
)
def test_the_development_media_serve_declares_the_type_from_the_extension(
    settings, sample, served_as
):
    media_file = MediaFileFactory(file=sample_upload(sample))
    request = RequestFactory().get(media_file.url)

    response = serve(request, media_file.file.name, document_root=settings.MEDIA_ROOT)
    try:
        assert response["Content-Type"] == served_as == media_file.content_type
        assert b"".join(response.streaming_content) == sample_bytes(sample)
    finally:
        response.close()


def test_no_accepted_type_is_ever_served_as_markup_or_script():
    for extension in files.TYPES:
        served = files.MIME_TYPES[files.EXTENSIONS[files.TYPES[extension].mime_type]]
        assert served.split("/")[0] in ("audio", "video") or served == "application/pdf"
        assert "html" not in served and "svg" not in served and "script" not in served
