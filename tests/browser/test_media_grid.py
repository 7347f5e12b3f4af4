"""
Media where authors work, in Chromium: the library as a grid of thumbnails
with search and a drop zone; an image dropped or pasted into the post body
uploaded and inserted; the featured image picked from thumbnails.
"""

import base64
import io
import re

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from playwright.sync_api import expect

from blog.media.models import Image
from blog.posts.models import Post
from tests.browser.helpers import audit, light_and_dark
from tests.factories import PostFactory
from tests.media.factories import ImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# A DataTransfer holding one PNG, made in the page from base64.
FILES = """([name, data]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type: "image/png"}));
    return transfer;
}"""


def png(color="#1f7a5c", size=(640, 480)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def drop(page, selector, name, color="#1f7a5c"):
    transfer = page.evaluate_handle(FILES, [name, png(color)])
    page.dispatch_event(selector, "dragover", {"dataTransfer": transfer})
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


@pytest.fixture
def library(db):
    return [
        ImageFactory(alt_text=alt, size=(800, 600))
        for alt in ("A red bicycle by a canal", "A green door", "Phones on a desk")
    ]


def test_an_image_dropped_into_the_body_is_uploaded_and_inserted(editor, page, browser_errors):
    post = PostFactory(title="Pictures", body="First line.", status="draft", published_at=None)
    editor(reverse("admin:posts_post_change", args=[post.pk]))
    body = page.locator("#id_body")
    body.click()
    page.keyboard.press("Control+End")
    with page.expect_response(re.compile(r"/admin/media/image/upload/$")) as answer:
        drop(page, "#id_body", "sunset-over-the-bay.png")
    assert answer.value.status == 201
    image = Image.objects.get()
    assert image.alt_text == "sunset over the bay"
    expect(body).to_have_value(f"First line.\n\n![sunset over the bay]({image.url})\n")
    expect(page.locator(".md-drop-status")).to_contain_text("Uploaded “sunset-over-the-bay.png”")
    # The preview follows, as after typing.
    expect(page.locator(".md-editor img[alt='sunset over the bay']")).to_have_count(1)
    assert browser_errors == []


def test_a_pasted_image_is_uploaded_and_a_refused_one_says_why(editor, page, settings):
    post = PostFactory(title="Pasting", body="", status="draft", published_at=None)
    editor(reverse("admin:posts_post_change", args=[post.pk]))
    page.locator("#id_body").click()
    paste = """([name, data]) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, {type: "image/png"}));
        const options = {clipboardData: transfer, bubbles: true, cancelable: true};
        document.querySelector("#id_body").dispatchEvent(new ClipboardEvent("paste", options));
    }"""
    with page.expect_response(re.compile(r"/upload/$")):
        page.evaluate(paste, ["image.png", png()])
    image = Image.objects.get()
    expect(page.locator("#id_body")).to_have_value(f"![Pasted image]({image.url})\n")

    settings.BLOG_IMAGE_MAX_PIXELS = 1000
    with page.expect_response(re.compile(r"/upload/$")):
        page.evaluate(paste, ["huge.png", png()])
    status = page.locator(".md-drop-status")
    expect(status).to_contain_text("“huge.png” was not uploaded:")
    expect(status).to_have_class(re.compile("is-error"))
    # The placeholder is gone; what was there stays.
    expect(page.locator("#id_body")).to_have_value(f"![Pasted image]({image.url})\n")
    assert Image.objects.count() == 1


def test_the_featured_image_is_picked_from_thumbnails(editor, page, library, screenshot_dir):
    post = PostFactory(title="Featured", status="draft", published_at=None)
    editor(reverse("admin:posts_post_change", args=[post.pk]))
    picker = page.locator(".image-picker")
    expect(picker.locator("img")).to_have_count(3)
    expect(page.locator("select[name=featured_image]")).to_have_count(0)
    expect(picker.get_by_label("No featured image")).to_be_checked()
    picker.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "featured-image-picker.png")

    # Search the whole library.
    picker.get_by_label("Search the library").fill("door")
    expect(picker.locator("img")).to_have_count(1)
    expect(picker.locator("[data-picker-status]")).to_contain_text("1 image match “door”")
    picker.get_by_label("A green door").check()
    page.get_by_role("button", name=re.compile(r"^(Save draft|Update)$")).first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    post.refresh_from_db()
    assert post.featured_image == library[1]
    # The chosen one comes first, checked, after a reload.
    expect(page.locator(".image-picker").get_by_label("A green door")).to_be_checked()


def test_an_image_uploaded_in_the_picker_becomes_the_featured_image(editor, page, library):
    post = PostFactory(title="Upload here", status="draft", published_at=None)
    editor(reverse("admin:posts_post_change", args=[post.pk]))
    picker = page.locator(".image-picker")
    with page.expect_response(re.compile(r"/upload/$")):
        drop(page, ".image-picker-grid", "harbour-at-dawn.png", "#224466")
    expect(picker.get_by_label("harbour at dawn")).to_be_checked()
    expect(picker.locator("[data-picker-status]")).to_contain_text("chose it as the featured image")
    page.get_by_role("button", name=re.compile(r"^(Save draft|Update)$")).first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Post.objects.get(pk=post.pk).featured_image.alt_text == "harbour at dawn"


@pytest.mark.parametrize("width", [1280, 375])
def test_the_media_library_is_a_grid_with_search_and_a_drop_zone(
    editor, page, library, live_server, width, screenshot_dir, assert_fits
):
    editor(reverse("admin:posts_post_add"))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + reverse("admin:media_image_changelist"))
    cards = page.locator("#result_list tbody tr")
    expect(cards).to_have_count(3)
    boxes = [cards.nth(n).bounding_box() for n in range(3)]
    if width == 1280:
        # Cards side by side, each with its thumbnail.
        assert boxes[0]["y"] == boxes[1]["y"] and boxes[1]["x"] > boxes[0]["x"]
    expect(cards.locator("img.media-thumbnail")).to_have_count(3)
    assert_fits(page)

    zone = page.locator(".media-dropzone")
    expect(zone).to_be_visible()
    with page.expect_response(re.compile(r"/upload/$")):
        drop(page, ".media-dropzone", "lighthouse.png", "#aa3300")
    expect(zone).to_contain_text("Uploaded “lighthouse.png”.")
    expect(cards).to_have_count(4)
    expect(cards.first).to_contain_text("lighthouse")
    page.wait_for_timeout(200)
    for scheme in light_and_dark(page):
        page.screenshot(path=screenshot_dir / f"media-grid-{scheme}-{width}.png", full_page=True)
        audit(page, scheme)

    page.locator("#searchbar").fill("bicycle")
    page.get_by_role("button", name="Search").click()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("A red bicycle by a canal")
