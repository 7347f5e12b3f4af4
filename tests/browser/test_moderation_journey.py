"""
The moderation journey, through the UI, in real browsers.

A reader comments on an open post and is told the comment awaits moderation;
an Editor, logged in through the admin's form in a browser context of their
own, approves it from the comments queue; a fresh reader sees it and the
count "1 Comment"; the Editor switches comments off from the posts list; the
article then says "Comments Off on <title>", keeps the approved comment and
offers no form.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blog.accounts.roles import EDITOR, assign_role
from blog.comments.models import Comment
from blog.posts.models import Post
from tests.browser.helpers import watch
from tests.factories import PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
TITLE = "Notes from the night ferry"
COMMENT = "The 23:40 crossing was calm, and the stars were out all the way."


@pytest.fixture
def fresh_page(browser):
    """Pages in new browser contexts: no cookies, no session, nobody logged in."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        return page, watch(page)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def post():
    author = UserFactory(username="olga")
    return PostFactory(title=TITLE, author=author, comment_mode=Post.CommentMode.OPEN)


@pytest.fixture
def editor():
    user = UserFactory(username="edith")
    assign_role(user, EDITOR)
    return user


def meta_text(page):
    meta = page.locator("article.post p.post-meta")
    expect(meta).to_be_visible()
    return meta.inner_text()


def test_reader_comments_editor_approves_then_switches_comments_off(
    live_server, page, fresh_page, post, editor, browser_errors, screenshot_dir, settings
):
    # A robot types faster than the anti-spam minimum a person takes.
    settings.BLOG_COMMENT_MIN_SECONDS = 0
    article_url = live_server.url + post.get_absolute_url()

    # The reader: an open post with no comments yet.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(article_url)
    assert meta_text(page).endswith("// No Comments"), meta_text(page)
    page.get_by_label("Name").fill("Ada Reader")
    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("textbox", name="Comment").fill(COMMENT)
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".messages")).to_contain_text("Your comment is awaiting moderation.")
    comment = Comment.objects.get(name="Ada Reader")
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "First comment from this commenter: held for approval."
    # Still unapproved: the count has not moved.
    assert meta_text(page).endswith("// No Comments"), meta_text(page)

    # The Editor, in a browser of their own, logs in through the form.
    admin, admin_errors = fresh_page()
    admin.goto(live_server.url + reverse("admin:login"))
    admin.get_by_label("Username").fill("edith")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name=re.compile("Log in", re.I)).click()
    expect(admin.locator("#site-name")).to_be_visible()
    # The Comments row of the app list carries the pending badge.
    badge = admin.locator("tr.model-comment .pending-count")
    expect(badge).to_have_text("(1 pending)")
    expect(badge).to_have_attribute("title", "1 comment awaiting moderation")

    # The queue opens on its Pending view.
    admin.locator("tr.model-comment th a").click()
    expect(admin).to_have_url(re.compile(r"/admin/comments/comment/$"))
    expect(admin.locator("#changelist-filter li.selected").first).to_have_text("Pending (1)")
    admin.locator("#changelist-filter").get_by_role("link", name="Pending (1)").click()
    expect(admin).to_have_url(re.compile(r"\?status=pending$"))
    row = admin.locator("#result_list tbody tr", has_text="Ada Reader")
    expect(row).to_have_count(1)
    expect(row.locator(".comment-text")).to_have_text(COMMENT)
    expect(row.locator(".status-pending")).to_have_text("Pending")
    expect(row.locator(".field-in_response_to")).to_contain_text(TITLE)
    admin.screenshot(path=screenshot_dir / "moderation-queue-1280.png", full_page=True)

    row.locator("input.action-select").check()
    admin.locator("select[name=action]").select_option(label="Approve")
    admin.get_by_role("button", name=re.compile(r"^(Run|Go)$")).click()
    expect(admin.locator("ul.messagelist")).to_contain_text("1 comment marked approved.")
    # Back on the Pending view, now empty, and no badge left.
    expect(admin).to_have_url(re.compile(r"\?status=pending$"))
    expect(admin.locator("#result_list tbody tr", has_text="Ada Reader")).to_have_count(0)
    expect(admin.locator(".pending-count")).to_have_count(0)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    # A fresh reader sees the comment and the count.
    reader, reader_errors = fresh_page()
    reader.goto(article_url)
    assert meta_text(reader).endswith("// 1 Comment"), meta_text(reader)
    shown = reader.locator(f"#comment-{comment.pk}")
    expect(shown).to_contain_text(COMMENT)
    expect(shown).not_to_contain_text("awaiting moderation")
    expect(reader.locator("#comments-title")).to_have_text(f"1 Comment on “{TITLE}”")
    expect(reader.locator("form.comment-form")).to_be_visible()

    # The Editor switches comments off from the posts list's Comments column, in one click.
    admin.goto(live_server.url + reverse("admin:posts_post_changelist"))
    post_row = admin.locator("#result_list tbody tr", has_text=TITLE)
    expect(post_row).to_have_count(1)
    mode = post_row.locator("td.field-comments_column")
    expect(mode).to_contain_text("Open")
    mode.get_by_role("button", name="Switch off").click()
    expect(admin.locator("ul.messagelist")).to_contain_text(f"Comments switched off on “{TITLE}”.")
    expect(mode).to_contain_text("Closed")
    post.refresh_from_db()
    assert post.comment_mode == Post.CommentMode.CLOSED

    # The reader reloads: comments off, the approved comment kept, no form.
    reader.reload()
    assert meta_text(reader).endswith(f"// Comments Off on {TITLE}"), meta_text(reader)
    expect(reader.locator(f"#comment-{comment.pk}")).to_contain_text(COMMENT)
    expect(reader.locator("form.comment-form")).to_have_count(0)
    expect(reader.locator(".comments-closed")).to_have_text("Comments are closed.")
    reader.screenshot(path=screenshot_dir / "moderation-article-closed-1280.png", full_page=True)

    # The first reader's own page, reloaded, agrees.
    page.reload()
    assert meta_text(page).endswith(f"// Comments Off on {TITLE}"), meta_text(page)
    expect(page.locator("form.comment-form")).to_have_count(0)

    assert browser_errors == []
    assert admin_errors == []
    assert reader_errors == []
