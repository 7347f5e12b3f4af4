"""
Switching a post's body to WordPress's HTML format in the editor, in a real
browser: a warning that the body is not converted, a preview rendered in
the chosen format, and toolbar buttons that write HTML.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blog.posts.models import Post
from tests.factories import PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARNING = "The body is not converted: check the preview."


def test_switch_a_post_to_html_and_write_wordpress_paragraphs(
    editor, browser_errors, screenshot_dir
):
    post = PostFactory(title="Switching", body="## A heading\n\nSome **bold** words.")
    page = editor(reverse("admin:posts_post_change", args=[post.pk]))
    preview = page.locator(".md-editor__preview")
    expect(preview.locator("h2")).to_have_text("A heading")
    status = page.get_by_role("status").filter(has_text="converted")
    expect(status).to_have_count(0)

    page.locator("#id_body_format").select_option("html")

    # The body has text already: a warning, and the preview in the new format.
    warning = page.locator("#id_body_format + [role=status]")
    expect(warning).to_have_text(WARNING)
    expect(warning).to_be_visible()
    expect(preview.locator("h2")).to_have_count(0)
    expect(preview).to_contain_text("## A heading")
    expect(preview).to_contain_text("Some **bold** words.")
    page.locator(".field-body_format").screenshot(path=screenshot_dir / "editor-format-warning.png")

    # Back to the saved format: nothing to warn about.
    page.locator("#id_body_format").select_option("markdown")
    expect(warning).to_have_text("")
    expect(preview.locator("h2")).to_have_text("A heading")
    page.locator("#id_body_format").select_option("html")
    expect(warning).to_have_text(WARNING)

    body = page.locator("#id_body")
    body.fill("First paragraph,\nwith a second line.\n\nSecond paragraph is here")
    # Blank line: paragraphs; single newline: a line break, as WordPress does.
    expect(preview.locator("p")).to_have_count(2)
    expect(preview.locator("p").first.locator("br")).to_have_count(1)
    expect(preview.locator("p").nth(1)).to_have_text("Second paragraph is here")

    # The toolbar writes HTML now.
    body.press("Control+End")
    for _ in "here":
        page.keyboard.press("Shift+ArrowLeft")
    page.get_by_role("button", name="Bold").click()
    assert body.input_value().endswith("Second paragraph is <strong>here</strong>")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nA heading line")
    page.get_by_role("button", name="Heading", exact=True).click()
    assert body.input_value().endswith("\n\n<h2>A heading line</h2>")
    expect(preview.locator("strong")).to_have_text("here")
    expect(preview.locator("h2")).to_have_text("A heading line")
    page.locator(".md-editor").scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir / "editor-html-format-1280.png")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    post.refresh_from_db()
    assert post.body_format == Post.BodyFormat.HTML
    assert "<p>First paragraph,<br>\nwith a second line.</p>" in post.body_html
    # Reopened in the HTML format: the preview agrees, no warning.
    expect(page.locator(".md-editor__preview p")).to_have_count(2)
    expect(page.locator("#id_body_format + [role=status]")).to_have_text("")
    assert browser_errors == []


def test_a_new_empty_post_switches_without_a_warning(editor, browser_errors):
    page = editor(reverse("admin:posts_post_add"))

    page.locator("#id_body_format").select_option("html")
    page.locator("#id_body").fill("One\n\n<ul>\n<li>item</li>\n</ul>")

    preview = page.locator(".md-editor__preview")
    expect(preview.locator("p")).to_have_text("One")
    expect(preview.locator("ul > li")).to_have_text("item")
    expect(page.locator("#id_body_format + [role=status]")).to_have_text("")
    assert browser_errors == []
