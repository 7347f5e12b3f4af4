"""
The admin's lists in Chromium: the posts, pages and comments lists fit
1280 px with every column header on screen and do not scroll sideways at
375 px; row actions work in one click with JavaScript (answered in place:
no page load) and without it (the form posts and the list comes back);
axe-core finds nothing serious in the lists and the queue, light or dark.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from blog.comments.models import Comment
from blog.posts.models import Post
from tests.browser.helpers import audit_light_and_dark, sign_in, watch
from tests.factories import CategoryFactory, CommentFactory, PageFactory, PostFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POSTS = reverse("admin:posts_post_changelist")
PAGES = reverse("admin:pages_page_changelist")
COMMENTS = reverse("admin:comments_comment_changelist")
LISTS = {"posts": POSTS, "pages": PAGES, "comments": COMMENTS}


@pytest.fixture
def site():
    """A blog the size of the demo: long titles, nested categories, a pending comment."""
    StaffFactory(username="editor", display_name="Ed Itor")
    tips = CategoryFactory(name="Online Marketing Tips", slug="tips")
    email = CategoryFactory(name="Email Marketing", slug="email", parent=tips)
    posts = [
        PostFactory(
            title=f"Email isn’t dead: what a year of newsletters taught us, part {n}",
            categories=[tips, email],
            sticky=n == 1,
        )
        for n in range(1, 6)
    ]
    PostFactory(title="A checklist for a faster mobile site", status=Post.Status.DRAFT)
    about = PageFactory(title="About", slug="about")
    PageFactory(title="Our team and how we work", slug="team", parent=about)
    CommentFactory(
        post=posts[0],
        name="Anna Schmidt",
        email="anna.schmidt@example.org",
        ip="192.0.2.14",
        body="Ran the Mobile-Friendly Test on our shop this morning.",
    )
    pending = CommentFactory(
        post=posts[0],
        name="Leo Hartmann",
        email="leo.hartmann@example.com",
        ip="192.0.2.120",
        status=Comment.Status.PENDING,
        body="Is there a good way to filter bots that don't identify themselves?",
        moderation_reason="First comment from this commenter: held for approval.",
    )
    return {"posts": posts, "pending": pending}


@pytest.fixture(params=["script", "no script"])
def script(request):
    return request.param == "script"


@pytest.fixture
def logged_in(browser, live_server):
    """Opens a browser context of its own logged in as the editor; closes them all after."""
    contexts = []

    def open_admin(*, width=1280, scheme="light", javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            color_scheme=scheme,
            java_script_enabled=javascript,
        )
        contexts.append(context)
        sign_in(context, live_server, "editor")
        return context.new_page()

    yield open_admin
    for context in contexts:
        context.close()


def loads_of(page):
    """
    How many documents the tab has navigated to so far (a row action with JavaScript
    adds none). Counted when a navigation commits, which comes before anything of the
    new document can be found, rather than at its "load" event, which may come after.
    """
    loads = []
    page.on("framenavigated", lambda frame: loads.append(1) if frame == page.main_frame else None)
    return loads


def test_comment_row_actions(logged_in, live_server, site, script, screenshot_dir):
    page = logged_in(javascript=script)
    errors = watch(page)
    pending = site["pending"]
    page.goto(live_server.url + COMMENTS)
    # The queue opens on Pending, the pending comment marked.
    row = page.locator("#result_list tbody tr", has_text="Leo Hartmann")
    expect(row.locator(".status-pending")).to_have_text("Pending")
    expect(page.locator("#changelist-filter li.selected").first).to_have_text("Pending (1)")
    loads = loads_of(page)

    row.get_by_role("button", name="Approve").click()

    expect(page.locator("ul.messagelist")).to_contain_text("Comment by Leo Hartmann approved.")
    if script:
        # In place: the row says what happened, the counts follow, no page load.
        expect(row).to_contain_text("Comment by Leo Hartmann approved.")
        expect(page.get_by_role("link", name="Pending (0)")).to_be_visible()
        assert loads == []
    else:
        expect(page.locator("#result_list")).to_have_count(0)  # the Pending view is empty
        assert loads == [1]
    expect(page.locator(".pending-count")).to_have_count(0)
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED
    assert pending.moderation_reason == "Approved by Ed Itor in the comment queue."

    # In All, the approved comment's actions follow its status; Spam then Not spam.
    page.get_by_role("link", name=re.compile(r"^All \(")).click()
    row = page.locator("#result_list tbody tr", has_text="Leo Hartmann")
    expect(row.get_by_role("button", name="Unapprove")).to_be_visible()
    row.get_by_role("button", name="Spam").click()
    expect(page.locator("ul.messagelist")).to_contain_text("marked as spam")
    page.get_by_role("link", name="Spam (1)").click()
    row = page.locator("#result_list tbody tr", has_text="Leo Hartmann")
    expect(row.get_by_role("button", name="Delete permanently")).to_be_visible()
    row.get_by_role("button", name="Not spam").click()
    expect(page.locator("ul.messagelist")).to_contain_text("no longer spam")
    # The views' counts follow, each label in its place.
    filters = page.locator("#changelist-filter details").first
    expect(filters.get_by_role("link")).to_have_text(
        ["All (2)", "Pending (1)", "Approved (1)", "Spam (0)", "Trash (0)"]
    )
    pending.refresh_from_db()
    assert pending.status == Comment.Status.PENDING
    name = "script" if script else "noscript"
    page.screenshot(path=screenshot_dir / f"admin-comments-row-actions-{name}.png")
    assert errors == []


def test_post_row_actions(logged_in, live_server, site, script):
    page = logged_in(javascript=script)
    errors = watch(page)
    post = site["posts"][2]
    page.goto(live_server.url + POSTS)
    row = page.locator("#result_list tbody tr", has_text=post.title)
    expect(row.get_by_role("link", name="View")).to_have_attribute("href", post.get_absolute_url())
    loads = loads_of(page)

    # The comment switch, one click each way.
    row.get_by_role("button", name="Switch off").click()
    expect(page.locator("ul.messagelist")).to_contain_text(
        f"Comments switched off on “{post.title}”."
    )
    expect(row.locator("td.field-comments_column")).to_contain_text("Closed")
    row.get_by_role("button", name="Switch on").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Comments switched on")
    expect(row.locator("td.field-comments_column")).to_contain_text("Open")

    # Trash, then Restore from the Trash view.
    row.get_by_role("button", name="Trash").click()
    expect(page.locator("ul.messagelist")).to_contain_text(f"“{post.title}” moved to the trash")
    assert loads == ([] if script else [1, 1, 1])
    post.refresh_from_db()
    assert post.status == Post.Status.TRASH
    page.goto(live_server.url + POSTS + "?status=trash")
    row = page.locator("#result_list tbody tr", has_text=post.title)
    expect(row.get_by_role("link", name="Delete permanently")).to_be_visible()
    row.get_by_role("button", name="Restore").click()
    expect(page.locator("ul.messagelist")).to_contain_text("restored from the trash")
    post.refresh_from_db()
    assert (post.status, post.comment_mode) == (Post.Status.PUBLISHED, Post.CommentMode.OPEN)
    assert errors == []


@pytest.mark.parametrize("name", LISTS)
def test_lists_fit_1280_and_375(logged_in, live_server, site, name, screenshot_dir, assert_fits):
    page = logged_in()
    page.goto(live_server.url + LISTS[name] + ("?status=all" if name == "comments" else ""))
    assert_fits(page)
    # Every column's header is on screen, whole.
    headers = page.locator("#result_list thead th")
    for i in range(headers.count()):
        box = headers.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 1280, headers.nth(
            i
        ).inner_text()
    page.screenshot(path=screenshot_dir / f"admin-{name}-list-1280.png", full_page=True)

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert_fits(page)
    # Each row still shows its title or comment and its row actions.
    first = page.locator("#result_list tbody tr").first
    expect(first.locator(".row-actions")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"admin-{name}-list-375.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_lists_and_queue_pass_axe(logged_in, live_server, site, width):
    page = logged_in(width=width)
    for url in (POSTS, PAGES, COMMENTS, COMMENTS + "?status=all", POSTS + "?status=trash"):
        page.goto(live_server.url + url)
        audit_light_and_dark(page)
