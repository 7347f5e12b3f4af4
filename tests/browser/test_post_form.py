"""
The post form as an author meets it: no lost work (auto-drafts, the
leave-page question, share links that keep edits, Preview before the first
save, headings on empty lines) and the publish panel, in Chromium.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from blog.posts.models import Post
from tests.browser.helpers import audit, light_and_dark, sign_in
from tests.factories import PostFactory, RoleUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_url():
    return reverse("admin:posts_post_add")


def change_url(post):
    return reverse("admin:posts_post_change", args=[post.pk])


def main_button(page):
    return page.locator("[data-publish-button]")


def test_a_new_post_is_autosaved_and_offered_back_after_the_tab_is_closed(
    editor, page, settings, browser_errors, live_server, screenshot_dir
):
    settings.BLOG_AUTOSAVE_SECONDS = 1
    editor(add_url())
    with page.expect_response(re.compile(r"/add/autosave/$")) as created:
        page.locator("#id_title").fill("Notes from the outage")
        page.locator("#id_body").fill("The app went down at 7:30pm.")
    assert created.value.ok
    draft = Post.auto_drafts.get()
    # The form now edits the auto-draft: the address bar says so.
    expect(page).to_have_url(re.compile(rf"/admin/posts/post/{draft.pk}/change/$"))
    expect(page.locator(".md-editor__autosave")).to_contain_text("Autosaved")
    # Hidden: not listed, not counted, no slug, no revision.
    assert not Post.objects.exists()
    assert (draft.slug, draft.revisions.count()) == ("", 0)
    page.goto(live_server.url + reverse("admin:posts_post_changelist"))
    expect(page.locator("#result_list")).to_have_count(0)

    # A new tab, as after closing the browser: Add post offers it back.
    second = page.context.new_page()
    page.close()
    second.set_viewport_size({"width": 1280, "height": 900})
    second.goto(live_server.url + add_url())
    offer = second.locator(".unsaved-drafts")
    expect(offer).to_contain_text("Notes from the outage")
    second.screenshot(path=screenshot_dir / "post-form-unsaved-drafts-1280.png")
    offer.get_by_role("link", name="Notes from the outage").click()
    expect(second.locator("#id_body")).to_have_value("The app went down at 7:30pm.")
    expect(second.locator("h1")).to_have_text("Add post")

    # Saving it makes one post, the auto-draft itself.
    main_button(second).click()
    expect(second.locator(".messagelist")).to_contain_text("Post published. View post")
    post = Post.objects.get()
    assert post.pk == draft.pk and post.is_published and post.slug == "notes-from-the-outage"
    assert not Post.auto_drafts.exists()
    assert post.revisions.count() == 1


def test_saving_while_the_first_autosave_is_on_its_way_makes_one_post(editor, page):
    editor(add_url())
    page.locator("#id_title").fill("Quick one")
    page.locator("#id_body").fill("Written fast.")
    # Saved at once, before or while the auto-draft is made.
    page.locator("[data-save-draft]").click()
    expect(page.locator(".messagelist")).to_contain_text("Post draft saved.")
    page.wait_for_timeout(2000)
    assert Post.objects.count() == 1
    assert Post.auto_drafts.count() == 0


def test_leaving_asks_first_with_unsaved_changes_and_not_without(editor, page):
    post = PostFactory(title="Leave me", status=Post.Status.DRAFT, published_at=None)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    editor(change_url(post))
    page.locator("#id_title").click()
    page.locator(".breadcrumbs a[href$='/admin/posts/post/']").click()
    expect(page).to_have_url(re.compile(r"/admin/posts/post/$"))
    assert asked == []

    editor(change_url(post))
    page.locator("#id_title").fill("Leave me, changed")
    page.locator(".breadcrumbs a[href$='/admin/posts/post/']").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    # Dismissed: still here, the typed title kept.
    expect(page.locator("#id_title")).to_have_value("Leave me, changed")

    # Saving is no leaving: no question.
    page.locator("[data-save-draft]").click()
    expect(page.locator(".messagelist")).to_contain_text("Post draft saved.")
    assert asked == ["beforeunload"]


def test_share_links_keep_the_edits(editor, page, browser_errors):
    post = PostFactory(title="Shared", body="Saved body.", status=Post.Status.DRAFT)
    editor(change_url(post))
    page.locator("#id_title").fill("Shared, retitled")
    page.locator("#id_body").fill("Typed, not saved.")

    page.get_by_role("button", name="Create a share link").click()
    share = page.locator(".field-preview_link")
    expect(share).to_contain_text("Share link (valid 7 days, for anyone)")
    expect(page.locator("#id_title")).to_have_value("Shared, retitled")
    expect(page.locator("#id_body")).to_have_value("Typed, not saved.")

    # Its full address, copied in one click.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    address = share.locator("[data-share-url]").input_value()
    assert address.startswith("http") and "/preview/" in address
    share.get_by_role("button", name="Copy link").click()
    expect(share.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address

    page.get_by_role("button", name="Revoke share links").click()
    expect(share.get_by_role("button", name="Create a share link")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("Shared, retitled")
    post.refresh_from_db()
    assert (post.title, post.preview_key) == ("Shared", "")
    assert browser_errors == []


def test_preview_works_before_the_first_save(editor, page):
    editor(add_url())
    page.locator("#id_title").fill("Not saved yet")
    page.locator("#id_body").fill("## A heading\n\nWords to see.")
    with page.context.expect_page() as opened:
        page.get_by_role("button", name=re.compile("^Preview")).last.click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator("h1")).to_contain_text("Not saved yet")
    expect(preview.locator("article h2")).to_contain_text("A heading")
    # Nothing published, nothing listed; the preview and the form share one auto-draft.
    assert not Post.objects.exists()
    page.locator("#id_body").fill("## A heading\n\nMore words to see.")
    page.wait_for_timeout(2500)
    assert Post.auto_drafts.count() == 1


def test_preview_of_an_untouched_new_post_makes_its_auto_draft_first(editor, page):
    editor(add_url())
    with page.context.expect_page() as opened:
        page.get_by_role("button", name=re.compile("^Preview")).last.click()
    opened.value.wait_for_load_state()
    expect(opened.value.locator("h1")).to_contain_text("(no title)")
    draft = Post.auto_drafts.get()
    expect(page).to_have_url(re.compile(rf"/admin/posts/post/{draft.pk}/change/$"))
    page.locator("#id_title").fill("Named later")
    page.locator("#id_body").fill("Written later.")
    page.locator("[data-save-draft]").click()
    expect(page.locator(".messagelist")).to_contain_text("Post draft saved.")
    assert Post.objects.get().pk == draft.pk


def test_heading_buttons_work_on_an_empty_line(editor, page):
    editor(add_url())
    body = page.locator("#id_body")
    body.fill("First paragraph.\n\n")
    body.press("End")
    page.keyboard.press("Control+End")
    page.locator("[data-command=h2]").click()
    page.keyboard.type("Typed heading")
    expect(body).to_have_value("First paragraph.\n\n## Typed heading")
    body.fill("")
    page.locator("[data-command=h3]").click()
    expect(body).to_have_value("### Subheading")


def test_the_main_button_follows_status_and_time(editor, page, screenshot_dir):
    editor(add_url())
    button = main_button(page)
    expect(button).to_have_text("Publish")
    expect(page.locator(".field-published_at")).to_be_hidden()
    expect(page.locator(".field-password")).to_be_hidden()

    page.get_by_label("At a date and time").check()
    later = timezone.localtime() + datetime.timedelta(days=30)
    page.locator("#id_published_at_0").fill(later.strftime("%Y-%m-%d"))
    page.locator("#id_published_at_1").fill("06:33:00")
    expect(button).to_have_text("Schedule")
    page.locator("#id_published_at_0").fill("2020-01-01")
    expect(button).to_have_text("Publish")
    page.locator("#id_published_at_0").fill(later.strftime("%Y-%m-%d"))
    expect(button).to_have_text("Schedule")

    page.get_by_label("Password protected").check()
    expect(page.locator(".field-password")).to_be_visible()
    page.get_by_label("Public").check()
    page.locator("#id_status").select_option("pending")
    expect(page.locator("[data-save-draft]")).to_have_text("Save as pending")

    page.locator("#id_title").fill("Scheduled from the panel")
    page.locator("#id_body").fill("Soon.")
    button.click()
    when = later.replace(hour=6, minute=33)
    expected = f"Post scheduled for {when:%-d %b %Y}, 06:33. Preview post"
    expect(page.locator(".messagelist")).to_have_text(expected)
    # The form calls it what the list calls it.
    expect(page.locator("#id_status option:checked")).to_have_text("Scheduled")
    expect(button).to_have_text("Update")
    expect(page.locator("[data-save-draft]")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "post-form-scheduled-1280.png", full_page=True)
    post = Post.objects.get()
    assert post.is_scheduled


def test_a_contributor_submits_for_review(page, live_server):
    RoleUserFactory(username="writer", role="Contributor")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page.context, live_server, "writer")
    page.goto(live_server.url + add_url())
    button = main_button(page)
    expect(button).to_have_text("Submit for review")
    page.locator("#id_title").fill("For the editor")
    page.locator("#id_body").fill("Please look.")
    button.click()
    expect(page.locator(".messagelist")).to_contain_text("Post submitted for review.")
    assert Post.objects.get().status == Post.Status.PENDING


@pytest.mark.parametrize("width", [1280, 375])
def test_post_form_passes_axe_and_fits(editor, page, width, screenshot_dir, assert_fits):
    post = PostFactory(title="Checked by axe", status=Post.Status.DRAFT, published_at=None)
    editor(change_url(post))
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(300)
    if width == 1280:
        # Beside the body, not above it.
        panel = page.locator("#publish-panel").bounding_box()
        body = page.locator(".md-editor").bounding_box()
        assert panel["x"] > body["x"] + body["width"] - 1
    for scheme in light_and_dark(page):
        page.screenshot(path=screenshot_dir / f"post-form-{scheme}-{width}.png", full_page=False)
        audit(page, scheme)


def test_the_page_form_has_the_panel_too(editor, page, browser_errors):
    editor(reverse("admin:pages_page_add"))
    expect(main_button(page)).to_have_text("Publish")
    with page.expect_response(re.compile(r"/pages/page/add/autosave/$")):
        page.locator("#id_title").fill("About us")
        page.locator("#id_body").fill("Who we are.")
    draft = Post.auto_drafts.get()
    assert draft.kind == Post.Kind.PAGE
    main_button(page).click()
    expect(page.locator(".messagelist")).to_contain_text("Page published. View page")
    assert Post.any_kind.get().pk == draft.pk
    audit(page)
    assert browser_errors == []
