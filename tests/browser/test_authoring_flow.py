"""
The whole authoring flow, through the admin's UI, in a real browser.

An Author logs in, writes a post in Markdown with a heading, a link and an
uploaded image, sees the server-rendered ``<h2>`` in the live preview before
saving, saves a draft, opens the signed preview link in a fresh browser
context, schedules the post, and once its time has come (the clock moved with
time_machine, nothing else changed in between) a reader sees it.
"""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from blog.accounts.roles import AUTHOR, assign_role
from blog.media.models import Image
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.browser.helpers import watch
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
TITLE = "The harbour at dawn"
HEADING = "Before the ferries"
ALT = "Fishing boats in the harbour"
LINK = "https://example.com/tides"
# How far ahead the post is scheduled: far beyond the test's own run time.
AHEAD = datetime.timedelta(minutes=10)


def jpeg(path):
    """A 1000 x 750 JPEG (wide enough for 480w and 800w renditions), written to ``path``."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    image = PILImage.new("RGB", (1000, 750), "#2b5d7d")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 500, 1000, 750), fill="#1d3f55")
    draw.polygon([(300, 520), (700, 520), (640, 600), (360, 600)], fill="#c8553d")
    draw.ellipse((760, 80, 880, 200), fill="#f2c14e")
    image.save(path, "JPEG", quality=85)
    return path


@pytest.fixture
def author():
    user = UserFactory(username="anne")
    assign_role(user, AUTHOR)
    return user


@pytest.fixture
def fresh_page(browser):
    """Pages in new browser contexts: no cookies, no session, nobody logged in."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_author_writes_previews_schedules_and_a_reader_sees_it(
    live_server, page, fresh_page, author, browser_errors, screenshot_dir, tmp_path
):
    page.set_viewport_size({"width": 1280, "height": 900})

    # Log in through the form.
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("anne")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    expect(page.locator("#site-name")).to_be_visible()

    # Add post, from the admin's own link.
    page.goto(live_server.url + reverse("admin:posts_post_changelist"))
    page.get_by_role("link", name=re.compile(r"Add post", re.I)).click()
    expect(page.locator(".md-editor")).to_be_visible()
    page.get_by_label("Title").fill(TITLE)

    body = page.locator("#id_body")
    body.click()
    # A heading with the H2 button on the line being typed.
    page.keyboard.type(HEADING)
    page.get_by_role("button", name="Heading", exact=True).click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nThe boats are out before six; first, check the tide tables.")
    # A link with the toolbar: the selected words become its text, the URL is selected.
    page.keyboard.press("ArrowLeft")  # before the final full stop
    for _ in "tide tables":
        page.keyboard.press("Shift+ArrowLeft")
    page.get_by_role("button", name="Link").click()
    page.keyboard.type(LINK)
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n")

    # An image uploaded through the editor's image dialog.
    page.get_by_role("button", name="Image", exact=True).click()
    dialog = page.get_by_role("dialog", name="Insert image")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Image file").set_input_files(jpeg(tmp_path / "harbour.jpg"))
    dialog.get_by_label("Alternative text").first.fill(ALT)
    with page.expect_response(re.compile(r"/upload/$")) as uploaded:
        dialog.get_by_role("button", name="Upload and insert").click()
    assert uploaded.value.status == 201
    expect(dialog).to_be_hidden()
    image = Image.objects.get()
    assert image.uploaded_by == author
    sizes = set(image.renditions.values_list("width", "format"))
    assert {(480, "JPEG"), (800, "JPEG"), (480, "WEBP"), (800, "WEBP")} <= sizes

    expect(body).to_have_value(
        f"## {HEADING}\n\n"
        f"The boats are out before six; first, check the [tide tables]({LINK}).\n\n"
        f"![{ALT}]({image.url})"
    )
    # The server's rendering, before anything is saved.
    preview = page.locator(".md-editor__preview")
    expect(preview.locator("h2")).to_have_text(HEADING)
    expect(preview.locator(f'a[href="{LINK}"]')).to_have_text("tide tables")
    preview_image = preview.locator(f'img[alt="{ALT}"]')
    expect(preview_image).to_have_attribute("src", image.url)
    expect(preview_image).to_have_js_property("complete", True)
    assert preview_image.evaluate("img => img.naturalWidth") == 1000
    assert not Post.objects.exists()
    page.mouse.move(0, 0)
    page.locator(".md-editor").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "authoring-editor-1280.png")

    # A draft, saved from the publish panel.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Post draft saved.")
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT
    assert post.author == author
    assert post.title == TITLE
    assert f"![{ALT}]({image.url})" in post.body
    assert f'<h2 id="before-the-ferries">{HEADING}</h2>' in post.body_html
    assert not post.preview_key

    # A share link, from the button in the publish panel (answered in place).
    page.get_by_role("button", name="Create a share link").click()
    expect(page.locator(".share-status")).to_contain_text("can now preview")
    share = page.locator(".field-preview_link a[href^='/preview/']")
    expect(share).to_have_count(1)
    link = share.get_attribute("href")
    assert share.inner_text() == link

    # Anyone with the link, logged in or not, sees the draft as it will look.
    guest = fresh_page()
    guest_errors = watch(guest)
    response = guest.goto(live_server.url + link)
    assert response.status == 200
    assert "noindex" in response.headers["x-robots-tag"]
    expect(guest.locator(".preview-notice")).to_contain_text(
        "readers cannot see this post yet (status: Draft)"
    )
    expect(guest.locator("h1.entry-title")).to_have_text(TITLE)
    expect(guest.locator(".entry-content h2")).to_have_text(HEADING)
    expect(guest.locator(f'.entry-content a[href="{LINK}"]')).to_have_text("tide tables")
    shown = guest.locator(f'.entry-content picture img[alt="{ALT}"]')
    expect(shown).to_have_attribute("srcset", re.compile(r"-480w\.jpg 480w, .*-800w\.jpg 800w"))
    expect(guest.locator(".entry-content picture source[type='image/webp']")).to_have_attribute(
        "srcset", re.compile(r"-480w\.webp 480w, .*-800w\.webp 800w")
    )
    shown.scroll_into_view_if_needed()
    expect(shown).to_have_js_property("complete", True)
    assert shown.evaluate("img => img.naturalWidth") > 0, "image did not load"
    guest.screenshot(path=screenshot_dir / "authoring-share-preview-1280.png", full_page=True)
    assert guest_errors == []

    # Scheduled: published, at a time to come, in the site's time zone.
    zone = SiteSettings.current().zone or timezone.get_default_timezone()
    publish_at = (timezone.now() + AHEAD).replace(microsecond=0)
    local = timezone.localtime(publish_at, zone)
    page.get_by_label("At a date and time").check()
    page.locator("#id_published_at_0").fill(local.strftime("%Y-%m-%d"))
    page.locator("#id_published_at_1").fill(local.strftime("%H:%M:%S"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Post scheduled for")
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at == publish_at
    assert post.is_scheduled
    permalink = post.get_absolute_url()
    assert browser_errors == [], "errors on the admin's editor pages"

    # Not yet: a reader finds nothing at the permalink, nor on the home page.
    reader = fresh_page()
    assert reader.goto(live_server.url + permalink).status == 404
    reader.goto(live_server.url + "/")
    expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)
    expect(reader.locator(".empty")).to_have_text("Nothing has been published here yet.")

    # Its time comes; nothing runs and nothing in the database changes meanwhile.
    # time_machine moves the clock of the whole process, the live server's
    # thread included.
    with time_machine.travel(publish_at + datetime.timedelta(minutes=1), tick=True):
        reader = fresh_page()
        reader_errors = watch(reader)
        response = reader.goto(live_server.url + "/")
        assert response.status == 200
        listed = reader.locator("article.post-summary h2").get_by_role("link", name=TITLE)
        expect(listed).to_have_count(1)
        expect(listed).to_have_attribute("href", permalink)
        listed.click()
        reader.wait_for_url(live_server.url + permalink)
        expect(reader.locator("h1.entry-title")).to_have_text(TITLE)
        expect(reader.locator(".preview-notice")).to_have_count(0)
        expect(reader.locator(".entry-content h2")).to_have_text(HEADING)
        article_image = reader.locator(f'.entry-content picture img[alt="{ALT}"]')
        expect(article_image).to_have_attribute("srcset", re.compile(r"480w"))
        article_image.scroll_into_view_if_needed()
        expect(article_image).to_have_js_property("complete", True)
        assert article_image.evaluate("img => img.naturalWidth") > 0, "image did not load"
        expect(reader.locator("form.comment-form")).to_be_visible()
        reader.evaluate("window.scrollTo(0, 0)")
        reader.screenshot(path=screenshot_dir / "authoring-article-1280.png", full_page=True)
        # A direct request too: the permalink answers 200.
        assert fresh_page().goto(live_server.url + permalink).status == 200
        assert reader_errors == []
