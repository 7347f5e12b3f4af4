"""
The Markdown editor of the post admin, in a real browser.

Autosave and the image dialog talk to endpoints other apps own
(``admin:posts_post_autosave`` from the revisions mixin, ``admin:media_image_*``
from the media app). Where those are installed the tests use them; where they
are not yet, a stub answering their documented contract stands in (Playwright
answers the request in the browser; the editor is pointed at the stub's
address), so the editor's side of the contract is tested either way.
"""

import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blog.posts.admin import PostAdmin
from blog.posts.models import Post
from tests.browser.helpers import sign_in
from tests.factories import PostFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
BODY = (
    "Not sure if you've noticed any service interruptions today, but the app went down "
    "some time around 7:30pm CET and left millions of people without their chats.\n\n"
    "> Could this be a result of a massive change to the app as we know it?\n\n"
    "- Check the status page\n- Wait a little\n- Tell your readers\n\n"
    "Back to your regular scheduled programming."
)


def png():
    """A small landscape picture, as an upload."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), "#1f7a5c")
    ImageDraw.Draw(image).rounded_rectangle((130, 30, 190, 170), radius=12, fill="#1f2328")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def relevant(errors, *expected):
    """Browser errors, less the ones a test provokes on purpose."""
    return [e for e in errors if not any(re.search(pattern, e) for pattern in expected)]


@pytest.fixture(params=["server", "stub"])
def stub_endpoints(request, monkeypatch):
    """
    In the "stub" run, point the editor at stub addresses for every endpoint of
    other apps, whose requests the test answers itself (so the script is
    checked against the answers it expects); the "server" run uses the real
    ones. Returns the stubbed addresses.
    """
    endpoints = {
        "autosave": "/admin/__stub__/autosave/",
        "image_library": "/admin/__stub__/images/",
        "image_upload": "/admin/__stub__/images/upload/",
    }
    stubbed = endpoints if request.param == "stub" else {}
    original = PostAdmin.get_editor_urls

    def get_editor_urls(self, request, obj=None):
        urls = original(self, request, obj)
        for name, address in stubbed.items():
            if name != "autosave" or obj is not None:
                urls[name] = address
        return urls

    monkeypatch.setattr(PostAdmin, "get_editor_urls", get_editor_urls)
    return stubbed


def stub_pattern(address):
    return re.compile(re.escape(address) + "$")


def test_write_a_post_with_the_toolbar_and_live_preview(
    editor, browser_errors, screenshot_dir, assert_fits
):
    page = editor(reverse("admin:posts_post_add"))

    page.get_by_label("Title").fill("WhatsApp crashes and leaves millions speechless")
    body = page.locator("#id_body")
    body.fill("A heading\n\n" + BODY + "\n\nRead the docs")
    # The H2 button turns the line with the caret into a heading.
    body.press("Control+Home")
    page.get_by_role("button", name="Heading", exact=True).click()
    page.keyboard.press("Control+End")
    # A link via the toolbar: the selected words become its text, the URL is selected.
    for _ in "docs":
        page.keyboard.press("Shift+ArrowLeft")
    page.get_by_role("button", name="Link").click()
    page.keyboard.type("https://example.com/docs")
    page.keyboard.press("Control+End")
    page.keyboard.type(" for *more*.")

    assert body.input_value().startswith("## A heading\n\n")
    assert "Read the [docs](https://example.com/docs) for *more*." in body.input_value()
    # The server's rendering, before anything is saved.
    preview = page.locator(".md-editor__preview")
    expect(preview.locator("h2")).to_have_text("A heading")
    expect(preview.locator('a[href="https://example.com/docs"]')).to_have_text("docs")
    expect(preview.locator("blockquote")).to_contain_text("Could this be a result")
    expect(preview.locator("ul > li")).to_have_count(3)
    expect(preview.locator("em")).to_have_text("more")
    assert Post.objects.count() == 0
    count = page.locator(".md-editor__count")
    expect(count).to_have_text(re.compile(r"^\d+ words · 1 min read$"))
    words = int(count.inner_text().split()[0])
    assert 60 < words < 80

    # Both panes side by side, the same height.
    source, shown = page.locator(".md-editor__pane--write"), page.locator(".md-editor__pane")
    assert shown.nth(1).bounding_box()["x"] > source.bounding_box()["x"] + 300
    assert abs(shown.nth(1).bounding_box()["height"] - source.bounding_box()["height"]) < 2
    assert_fits(page)

    page.mouse.move(0, 0)  # no hover effect in the pictures
    page.screenshot(path=screenshot_dir / "editor-1280.png", full_page=True)
    # For the README: the admin's header and sidebar, down to the editor's status line.
    page.evaluate("window.scrollTo(0, 0)")
    bottom = page.locator(".md-editor").bounding_box()
    DOCS.mkdir(exist_ok=True)
    page.screenshot(
        path=DOCS / "editor.png",
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1280, "height": bottom["y"] + bottom["height"] + 16},
    )

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    post = Post.objects.get()
    # Browsers send a textarea's newlines as CRLF.
    assert post.body.replace("\r\n", "\n").startswith("## A heading\n\nNot sure")
    assert '<h2 id="a-heading">A heading</h2>' in post.body_html
    # Reopened, the saved post's preview is there without typing.
    expect(page.locator(".md-editor__preview h2")).to_have_text("A heading")
    expect(page.locator(".md-editor__count")).to_have_text(f"{words} words · 1 min read")
    assert relevant(browser_errors) == []


def test_dark_mode(editor, page, screenshot_dir, browser_errors):
    post = PostFactory(title="Dark", body="## A heading\n\n" + BODY)
    page.emulate_media(color_scheme="dark")

    editor(reverse("admin:posts_post_change", args=[post.pk]))

    expect(page.locator(".md-editor__preview h2")).to_have_text("A heading")
    page.locator(".md-editor").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "editor-1280-dark.png")
    assert relevant(browser_errors) == []


def test_keyboard_shortcuts_and_toolbar_buttons(editor, page, browser_errors):
    page = editor(reverse("admin:posts_post_add"))
    body = page.locator("#id_body")
    body.click()

    page.keyboard.type("bold")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+b")
    assert body.input_value() == "**bold**"
    page.keyboard.press("Control+b")  # again: undone
    assert body.input_value() == "bold"
    page.keyboard.press("End")
    page.keyboard.press("Control+i")
    page.keyboard.type("slanted")
    assert body.input_value() == "bold_slanted_"
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")

    page.keyboard.type("one\ntwo")
    page.keyboard.press("Control+a")
    page.get_by_role("button", name="Numbered list").click()
    assert body.input_value() == "1. one\n2. two"
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")  # continues the list
    page.keyboard.type("three")
    assert body.input_value() == "1. one\n2. two\n3. three"
    page.keyboard.press("Control+a")
    page.get_by_role("button", name="Quote").click()
    assert body.input_value() == "> 1. one\n> 2. two\n> 3. three"
    page.keyboard.press("Control+a")
    page.get_by_role("button", name="Code").click()
    assert body.input_value() == "```\n> 1. one\n> 2. two\n> 3. three\n```"
    page.keyboard.press("Control+z")
    assert body.input_value() == "> 1. one\n> 2. two\n> 3. three", "undo works"

    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nPrint x")
    page.keyboard.press("Shift+ArrowLeft")
    page.get_by_role("button", name="Code").click()
    assert body.input_value().endswith("Print `x`")
    page.keyboard.press("Control+End")
    page.keyboard.type("\nfirst")
    page.get_by_role("button", name="Bulleted list").click()
    assert body.input_value().endswith("Print `x`\n\n- first"), "a blank line before a list"
    page.keyboard.press("Control+k")
    page.keyboard.type("the docs")
    assert body.input_value().endswith("- first[the docs](https://)")

    # The toolbar is one tab stop, its buttons reached with the arrow keys.
    page.get_by_role("button", name="Heading", exact=True).focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("button", name="Subheading")).to_be_focused()
    page.keyboard.press("End")
    expect(page.get_by_role("button", name="Image", exact=True)).to_be_focused()
    assert relevant(browser_errors) == []


def test_narrow_screen_switches_between_write_and_preview(editor, page, screenshot_dir):
    post = PostFactory(title="Narrow", body="## A heading\n\n" + BODY)
    page.set_viewport_size({"width": 375, "height": 800})

    editor(reverse("admin:posts_post_change", args=[post.pk]))

    write = page.get_by_role("tab", name="Write")
    preview_tab = page.get_by_role("tab", name="Preview")
    expect(write).to_have_attribute("aria-selected", "true")
    expect(page.locator("#id_body")).to_be_visible()
    expect(page.locator(".md-editor__preview")).to_be_hidden()
    page.locator(".md-editor").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "editor-375.png")

    # Counted in the browser while writing, by the server once previewed: the same.
    count = page.locator(".md-editor__count")
    expect(count).to_have_text(re.compile(r"^\d+ words · 1 min read$"))
    counted_here = count.inner_text()

    with page.expect_response(re.compile(r"/preview/$")):
        preview_tab.click()
    expect(preview_tab).to_have_attribute("aria-selected", "true")
    expect(count).to_have_text(counted_here)
    expect(page.locator("#id_body")).to_be_hidden()
    expect(page.locator(".md-editor__preview h2")).to_have_text("A heading")
    page.screenshot(path=screenshot_dir / "editor-375-preview.png")
    # The toolbar goes back to writing.
    page.get_by_role("button", name="Bold").click()
    expect(page.locator("#id_body")).to_be_visible()
    expect(page.locator("#id_body")).to_be_focused()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_autosave_of_a_saved_post(
    editor, page, settings, stub_endpoints, browser_errors, screenshot_dir
):
    settings.BLOG_AUTOSAVE_SECONDS = 1
    post = PostFactory(title="Autosaved", body="First words.", status=Post.Status.DRAFT)
    sent = []
    if "autosave" in stub_endpoints:

        def answer(route):
            sent.append({k: v[0] for k, v in parse_qs(route.request.post_data).items()})
            assert route.request.headers["x-csrftoken"]
            route.fulfill(
                status=200,
                content_type="application/json",
                body=json.dumps(
                    {"saved_at": "2026-11-20T10:15:00Z", "message": "Draft autosaved at 10:15."}
                ),
            )

        page.route(stub_pattern(stub_endpoints["autosave"]), answer)

    editor(reverse("admin:posts_post_change", args=[post.pk]))
    status = page.locator(".md-editor__autosave")
    page.wait_for_timeout(1500)
    # Nothing changed, nothing sent.
    expect(status).to_have_text("")
    assert sent == []

    with page.expect_response(re.compile(r"autosave")) as response_info:
        # One change, so the autosave cannot catch the text half typed.
        page.locator("#id_body").fill("First words. More words.")
    response = response_info.value
    assert response.ok
    message = response.json()["message"]
    assert message
    expect(status).to_have_text(message)
    if "autosave" not in stub_endpoints:
        footer = page.locator(".md-editor__footer")
        footer.scroll_into_view_if_needed()
        box = footer.bounding_box()
        page.screenshot(
            path=screenshot_dir / "editor-autosaved-1280.png",
            clip={
                "x": box["x"] - 10,
                "y": box["y"] - 60,
                "width": box["width"] + 20,
                "height": 100,
            },
        )
    if sent:
        assert sent[0]["title"] == "Autosaved"
        assert sent[0]["body"] == "First words. More words."
    else:
        post.refresh_from_db()
        assert post.status == Post.Status.DRAFT, "autosave never publishes"
    assert relevant(browser_errors) == []


def test_image_dialog(editor, page, stub_endpoints, inline_image, browser_errors, screenshot_dir):
    post = PostFactory(title="With images", body="Intro.")
    library = []
    if "image_library" in stub_endpoints:
        page.route(
            stub_pattern(stub_endpoints["image_library"]),
            lambda route: route.fulfill(json={"images": library}),
        )
    if "image_upload" in stub_endpoints:

        def upload(route):
            data = route.request.post_data_buffer
            if b"\x89PNG" not in data:
                route.fulfill(status=400, json={"errors": {"file": ["Upload a valid image."]}})
                return
            image = {
                "id": 1,
                "url": inline_image,
                "thumbnail": inline_image,
                "alt": "A phone with no signal",
                "width": 960,
                "height": 540,
                "markdown": f"![A phone with no signal]({inline_image})",
            }
            library.append(image)
            route.fulfill(status=201, json=image)

        page.route(stub_pattern(stub_endpoints["image_upload"]), upload)

    editor(reverse("admin:posts_post_change", args=[post.pk]))
    body = page.locator("#id_body")
    body.click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name="Image", exact=True).click()
    dialog = page.get_by_role("dialog", name="Insert image")
    expect(dialog).to_be_visible()

    # A file that is not an image: the server's message, next to the field.
    dialog.get_by_label("Image file").set_input_files(
        files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"not an image"}]
    )
    dialog.get_by_label("Alternative text").first.fill("A phone with no signal")
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog.locator('[data-errors="file"] li')).not_to_have_count(0)
    if "image_upload" not in stub_endpoints:  # the media app's own message
        page.screenshot(path=screenshot_dir / "editor-image-dialog-1280.png")

    dialog.get_by_label("Image file").set_input_files(
        files=[{"name": "phone.png", "mimeType": "image/png", "buffer": png()}]
    )
    dialog.get_by_role("button", name="Upload and insert").click()
    expect(dialog).to_be_hidden()
    expect(body).to_have_value(re.compile(r"^Intro\.\n\n!\[A phone with no signal\]\(\S+\)$"))
    expect(page.locator(".md-editor__preview img[alt='A phone with no signal']")).to_have_count(1)

    # The uploaded image is in the library now; picking it inserts it again.
    page.get_by_role("button", name="Image", exact=True).click()
    pick = dialog.get_by_role("button", name="Insert “A phone with no signal”")
    expect(pick).to_have_count(1)
    if "image_library" not in stub_endpoints:
        expect(pick.locator("img")).to_have_js_property("complete", True)
        page.screenshot(path=screenshot_dir / "editor-image-library-1280.png")
    pick.click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".md-editor__preview img[alt='A phone with no signal']")).to_have_count(2)

    # From a URL, with alt text.
    page.get_by_role("button", name="Image", exact=True).click()
    dialog.get_by_label("Image URL").fill("/static/img/favicon.svg")
    dialog.locator("#md-image-url-alt").fill("The site's icon")
    dialog.get_by_role("button", name="Insert", exact=True).click()
    expect(body).to_have_value(re.compile(r"!\[The site's icon\]\(/static/img/favicon.svg\)$"))
    expect(page.locator('.md-editor__preview img[alt="The site\'s icon"]')).to_have_count(1)
    # The 400 the bad upload provoked is the only error.
    assert relevant(browser_errors, r"status of 400", r"HTTP 400 .*upload") == []


def test_image_dialog_without_the_media_app_inserts_by_url(editor, page, monkeypatch):
    original = PostAdmin.get_editor_urls

    def without_media(self, request, obj=None):
        return {**original(self, request, obj), "image_library": None, "image_upload": None}

    monkeypatch.setattr(PostAdmin, "get_editor_urls", without_media)
    editor(reverse("admin:posts_post_add"))

    page.locator("#id_body").click()
    page.get_by_role("button", name="Image", exact=True).click()
    dialog = page.get_by_role("dialog", name="Insert image")
    expect(dialog.get_by_role("heading", name="Media library")).to_be_hidden()
    expect(dialog.get_by_role("heading", name="Upload a new image")).to_be_hidden()
    dialog.get_by_label("Image URL").fill("https://example.com/a photo.jpg")
    # Alt text is required.
    dialog.get_by_role("button", name="Insert", exact=True).click()
    expect(dialog).to_be_visible()
    dialog.locator("#md-image-url-alt").fill("A [photo]")
    dialog.get_by_role("button", name="Insert", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#id_body")).to_have_value(
        r"![A \[photo\]](https://example.com/a%20photo.jpg)"
    )


def test_tags_autocomplete(editor, page, browser_errors, screenshot_dir):
    PostFactory(tags=["marketing", "market research", "email marketing", "seo"])

    editor(reverse("admin:posts_post_add"))
    tags = page.locator("#id_tags")
    tags.click()
    page.keyboard.type("seo, MARK")
    listbox = page.get_by_role("listbox", name="Existing tags")
    expect(listbox.get_by_role("option")).to_have_text(
        ["market research", "marketing", "email marketing"]
    )
    expect(tags).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    box = tags.bounding_box()
    page.screenshot(
        path=screenshot_dir / "editor-tags-1280.png",
        clip={"x": 0, "y": box["y"] - 60, "width": 1280, "height": 200},
    )
    expect(listbox.get_by_role("option", name="marketing", exact=True)).to_have_attribute(
        "aria-selected", "true"
    )
    page.keyboard.press("Enter")  # picks, does not submit the form
    expect(tags).to_have_value("seo, marketing, ")
    expect(listbox).to_be_hidden()
    assert "/add/" in page.url

    page.keyboard.type("research")
    expect(listbox.get_by_role("option")).to_have_text(["market research"])
    listbox.get_by_role("option").click()
    expect(tags).to_have_value("seo, marketing, market research, ")
    page.keyboard.type("xyz")
    expect(listbox).to_be_hidden()
    page.keyboard.press("Escape")
    assert relevant(browser_errors) == []


def test_without_javascript_the_body_is_a_plain_textarea(browser, live_server):
    StaffFactory(username="editor")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(context, live_server, "editor")
        page.goto(live_server.url + reverse("admin:posts_post_add"))

        expect(page.locator(".md-editor")).to_have_count(0)
        page.get_by_label("Title").fill("No script")
        page.get_by_label("Slug").fill("no-script")
        page.locator("#id_body").fill("## Still works")
        page.get_by_label("Tags").fill("plain, simple")
        page.get_by_role("button", name="Save", exact=True).click()

        post = Post.objects.get(slug="no-script")
        assert post.body_html == '<h2 id="still-works">Still works</h2>'
        assert sorted(post.tags.names()) == ["plain", "simple"]
    finally:
        context.close()
