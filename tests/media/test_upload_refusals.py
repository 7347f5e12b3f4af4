"""Every kind of bad upload is refused with its reason, and nothing is stored."""

import io
import warnings

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageFile

from blog.media import processing
from blog.media.models import Image, Rendition
from tests.helpers import page, text_of
from tests.media.factories import (
    animated_gif,
    image_bytes,
    image_upload,
    png_claiming_size,
    upload,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:media_image_add")
ALT = "A harbour at dawn, boats & gulls"

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'  # noqa: E501
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def truncated(image_format):
    # Noise, so the pixel data is most of the file and the cut lands in it.
    image = PILImage.effect_noise((600, 400), 80).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()[: len(buffer.getvalue()) * 2 // 3]


def post_upload(client, file, alt_text=ALT):
    return client.post(ADD, {"file": file, "alt_text": alt_text, "caption": "Kept caption"})


def assert_refused(response, message, stored_files):
    assert response.status_code == 200  # the form again, not a redirect
    form = response.context["adminform"].form
    assert form.errors["file"] == [message]
    assert message in text_of(page(response))
    # What the person typed is still there.
    assert page(response).select_one("input[name=alt_text]")["value"] == ALT
    assert page(response).select_one("textarea[name=caption]").text.strip() == "Kept caption"
    assert Image.objects.count() == 0
    assert Rendition.objects.count() == 0
    assert stored_files() == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("notes.jpg", b"these are not the pixels you are looking for", id="text"),
        pytest.param("invoice.jpg", PDF, id="pdf-renamed-jpg"),
        pytest.param("logo.svg", SVG, id="svg"),
        pytest.param("scan.bmp", image_bytes("BMP", (40, 30)), id="bmp"),
        pytest.param("scan.jpg", image_bytes("TIFF", (40, 30)), id="tiff-renamed-jpg"),
    ],
)
def test_files_that_are_not_an_accepted_image_are_refused(
    author_client, stored_files, name, content
):
    response = post_upload(author_client, upload(content, name))

    assert_refused(response, processing.NOT_ACCEPTED, stored_files)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    author_client, stored_files, settings, monkeypatch
):
    settings.BLOG_IMAGE_MAX_BYTES = 2 * 2**20
    opened = []
    monkeypatch.setattr(processing.Image, "open", lambda *a, **k: opened.append(a))
    too_big = upload(b"\xff\xd8\xff" + b"\0" * (5 * 2**19), "huge.jpg")  # 2.5 MB

    response = post_upload(author_client, too_big)

    assert_refused(response, "The file is 2.5 MB; the limit is 2 MB.", stored_files)
    assert opened == []


def test_the_default_size_limit_is_ten_megabytes(settings):
    assert settings.BLOG_IMAGE_MAX_BYTES == 10 * 2**20
    message = "The file is 12.3 MB; the limit is 10 MB."
    with pytest.raises(processing.ImageRejected) as refused:
        processing.check_size(upload(b"\0" * int(12.3 * 2**20), "big.jpg"))
    assert refused.value.messages == [message]


def test_an_empty_file_is_refused(author_client, stored_files):
    response = post_upload(author_client, upload(b"", "empty.jpg"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert stored_files() == []


def test_a_header_claiming_too_many_pixels_is_refused_before_decoding(
    author_client, stored_files, monkeypatch
):
    decoded = []
    monkeypatch.setattr(processing, "_decode", lambda *args: decoded.append(args))

    # Pillow's own guard is set from the limit (it warns past it and refuses past
    # twice it); with its warning shown, as in production, our check says more.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
        response = post_upload(author_client, upload(png_claiming_size(8000, 8000), "bomb.png"))

    message = "The image is 8000 × 8000 pixels; the limit is 40 megapixels."
    assert_refused(response, message, stored_files)
    assert decoded == []


def test_pillows_own_decompression_bomb_error_gets_the_same_kind_of_message(
    author_client, stored_files
):
    # 10 gigapixels: Pillow refuses it while reading the header.
    response = post_upload(author_client, upload(png_claiming_size(100_000, 100_000), "b.png"))

    message = "The image is 10000 megapixels; the limit is 40 megapixels."
    assert_refused(response, message, stored_files)


def test_pillows_decompression_bomb_warning_is_a_refusal_too(settings):
    bomb = upload(png_claiming_size(10_000, 10_000), "bomb.png")  # over Pillow's warning size
    for action in ("error", "ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter(action, PILImage.DecompressionBombWarning)
            with pytest.raises(processing.ImageRejected) as refused:
                processing.process(bomb)
        (message,) = refused.value.messages
        assert message.startswith("The image is 10")
        assert message.endswith("; the limit is 40 megapixels.")


def test_a_lower_pixel_limit_refuses_a_real_image(author_client, stored_files, settings):
    settings.BLOG_IMAGE_MAX_PIXELS = 1_000_000

    response = post_upload(author_client, image_upload("JPEG", (1200, 1000)))

    message = "The image is 1200 × 1000 pixels; the limit is 1 megapixels."
    assert_refused(response, message, stored_files)


def test_an_animation_counts_the_pixels_of_every_frame(author_client, stored_files, settings):
    settings.BLOG_IMAGE_MAX_PIXELS = 1_000_000  # one 900 x 600 frame fits, three don't

    response = post_upload(author_client, upload(animated_gif((900, 600)), "loop.gif"))

    # A GIF's frames are counted as they are decoded, which stops at the limit.
    message = (
        "The animation is 900 × 600 pixels in more than 1 frame; the limit is 1 megapixels in all."
    )
    assert_refused(response, message, stored_files)


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_truncated_image_is_refused(author_client, stored_files, image_format):
    name = f"cut.{image_format.lower()}"

    response = post_upload(author_client, upload(truncated(image_format), name))

    assert_refused(response, processing.DAMAGED, stored_files)


def test_truncated_files_are_never_accepted_even_if_pillow_is_told_to(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    from blog.media.checks import pillow_refuses_truncated_images

    assert [e.id for e in pillow_refuses_truncated_images()] == ["media.E001"]
    with pytest.raises(Exception, match="LOAD_TRUNCATED_IMAGES"):
        processing.process(upload(truncated("JPEG"), "cut.jpg"))


def test_alt_text_is_required(author_client, stored_files):
    response = post_upload(author_client, image_upload("PNG", (200, 100)), alt_text="  ")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["alt_text"] == ["This field is required."]
    assert Image.objects.count() == 0
    assert stored_files() == []


def test_nothing_is_left_behind_if_storing_fails_half_way(author, stored_files, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Rendition, "save", fail)
    with pytest.raises(RuntimeError):
        Image.objects.create_from_file(image_upload("JPEG", (900, 600)), alt_text="Half")

    assert Image.objects.count() == 0
    assert stored_files() == []
