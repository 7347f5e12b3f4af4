"""
Image processing within a budget (issue 12, finding 9): an animation is limited
by its frames and by all its frames' pixels together, decoding stops at the
budget (a GIF declares no frame count), Pillow's own guard follows the site's
pixel limit, and a large still is made into no rendition wider than pages use.
"""

import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageDraw, ImageSequence

from blog.media import processing
from blog.media.models import Image, Rendition
from tests.helpers import page, text_of
from tests.media.factories import upload

pytestmark = pytest.mark.django_db

ADD = reverse("admin:media_image_add")
ALT = "A ball bouncing across the screen"


def animation(image_format, frames, size):
    """``frames`` different frames (a square moving across), as GIF or APNG."""
    pictures = []
    for index in range(frames):
        picture = PILImage.new("RGB", size, (255, 255, 255))
        x = index * 7 % size[0]
        ImageDraw.Draw(picture).rectangle([x, 0, x + size[0] // 5, size[1] // 5], fill=(200, 0, 0))
        pictures.append(picture)
    buffer = io.BytesIO()
    pictures[0].save(
        buffer, image_format, save_all=True, append_images=pictures[1:], duration=40, loop=0
    )
    return buffer.getvalue()


@pytest.fixture
def decoded_frames(monkeypatch):
    """The frames processing stepped to (and so decoded), in order."""
    loads = []

    class Counting(ImageSequence.Iterator):
        def __next__(self):
            frame = super().__next__()
            loads.append(frame.tell())
            return frame

    monkeypatch.setattr(processing, "ImageSequence", SimpleNamespace(Iterator=Counting))
    return loads


def assert_refused_in_the_form(response, message):
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [message]
    assert message in text_of(page(response))
    assert page(response).select_one("input[name=alt_text]")["value"] == ALT
    assert Image.objects.count() == 0
    assert Rendition.objects.count() == 0


def test_a_159_frame_500_pixel_gif_is_refused_in_the_upload_form(
    author_client, stored_files, decoded_frames
):
    gif = animation("GIF", 159, (500, 500))
    assert PILImage.open(io.BytesIO(gif)).n_frames == 159

    response = author_client.post(ADD, {"file": upload(gif, "bounce.gif"), "alt_text": ALT})

    assert_refused_in_the_form(
        response,
        "The animation is 500 × 500 pixels in more than 32 frames; "
        "the limit is 8 megapixels in all.",
    )
    assert stored_files() == []
    # Decoding stopped at the budget: 32 frames of 250,000 pixels, not 159.
    assert len(decoded_frames) <= 33


def test_an_apng_over_the_budget_is_refused_before_any_frame_is_decoded(decoded_frames):
    apng = animation("PNG", 40, (500, 500))

    with pytest.raises(processing.ImageRejected) as refused:
        processing.process(upload(apng, "bounce.png"))

    assert refused.value.messages == [
        "The animation is 500 × 500 pixels in 40 frames; the limit is 8 megapixels in all."
    ]
    assert decoded_frames == []


def test_too_many_tiny_frames_are_refused_by_count(settings, decoded_frames):
    settings.BLOG_IMAGE_MAX_FRAMES = 50

    with pytest.raises(processing.ImageRejected) as refused:
        processing.process(upload(animation("GIF", 60, (20, 20)), "flicker.gif"))

    assert refused.value.messages == [
        "The animation has more than 50 frames; the limit is 50 frames."
    ]
    assert len(decoded_frames) <= 51


def test_an_animation_within_the_budget_keeps_every_frame():
    processed = processing.process(upload(animation("GIF", 32, (500, 500)), "bounce.gif"))

    assert PILImage.open(io.BytesIO(processed.original.content)).n_frames == 32
    assert [(r.width, r.format) for r in processed.renditions] == [(480, "WEBP"), (500, "WEBP")]


def test_the_animation_budget_never_exceeds_a_stills(settings):
    settings.BLOG_IMAGE_MAX_PIXELS = 1_000_000
    settings.BLOG_IMAGE_MAX_ANIMATION_PIXELS = 50_000_000

    assert processing.animation_budget() == 1_000_000


def test_pillows_own_guard_follows_the_sites_limit(settings):
    assert PILImage.MAX_IMAGE_PIXELS == settings.BLOG_IMAGE_MAX_PIXELS


def test_a_6300_pixel_square_png_makes_no_rendition_wider_than_pages_use():
    buffer = io.BytesIO()
    PILImage.new("1", (6300, 6300)).save(buffer, "PNG", optimize=True)
    assert len(buffer.getvalue()) < 10_000  # a few KB that decode to 40 megapixels

    processed = processing.process(upload(buffer.getvalue(), "flat.png"))

    assert (processed.original.width, processed.original.height) == (6300, 6300)
    widths = sorted({r.width for r in processed.renditions})
    assert widths == [480, 800, 1200, 1600]


def test_a_6300_pixel_square_png_is_refused_under_a_lower_limit(settings, author_client):
    settings.BLOG_IMAGE_MAX_PIXELS = 25_000_000
    buffer = io.BytesIO()
    PILImage.new("1", (6300, 6300)).save(buffer, "PNG", optimize=True)

    response = author_client.post(
        ADD, {"file": upload(buffer.getvalue(), "flat.png"), "alt_text": ALT}
    )

    assert_refused_in_the_form(
        response, "The image is 6300 × 6300 pixels; the limit is 25 megapixels."
    )
