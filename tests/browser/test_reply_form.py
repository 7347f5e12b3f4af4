"""
Replying in place, and commenter details remembered in the reader's own
browser, in Chromium: Reply moves the form under the comment (and Cancel
reply puts it back); without JavaScript the ?replytocom= link still sets the
parent; the Save box keeps name, email and website in localStorage only.
"""

import pytest
from playwright.sync_api import expect

from blog.comments.models import Comment
from blog.posts.models import Post
from tests.browser.helpers import audit, light_and_dark
from tests.factories import CommentFactory, PageFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article(settings):
    # A robot types faster than the anti-spam minimum a person takes.
    settings.BLOG_COMMENT_MIN_SECONDS = 0
    post = PostFactory(title="WhatsApp crashes")
    first = CommentFactory(post=post, name="Sophie Laurent", body="Mine stopped at 7:35pm.")
    CommentFactory(post=post, name="Marco", body="Back now.")
    return {"post": post, "first": first}


def fill(page, name="Ada Reader", email="ada@example.com", body="Same here, at 7:40."):
    page.get_by_label("Name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Comment").fill(body)


def test_reply_moves_the_form_under_the_comment(
    live_server, page, article, browser_errors, screenshot_dir
):
    first = article["first"]
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(live_server.url + article["post"].get_absolute_url())

    page.get_by_role("link", name="Reply to Sophie Laurent").click()

    respond = page.locator(f"#comment-{first.pk} > #respond")
    expect(respond).to_be_visible()
    expect(respond.locator(".comment-reply-title")).to_contain_text("Reply to Sophie Laurent")
    expect(page.locator('input[name="parent"]')).to_have_value(str(first.pk))
    expect(page.get_by_label("Name")).to_be_focused()
    assert "replytocom" not in page.url
    page.screenshot(path=screenshot_dir / "reply-form-moved-375.png", full_page=True)

    fill(page)
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator(".messages")).to_contain_text("awaiting moderation")
    reply = Comment.objects.get(name="Ada Reader")
    assert reply.parent == first
    assert browser_errors == []


def test_cancel_reply_puts_the_form_back(live_server, page, article):
    page.goto(live_server.url + article["post"].get_absolute_url())
    page.get_by_role("link", name="Reply to Marco").click()
    expect(page.locator(".comment-list #respond")).to_be_visible()

    page.get_by_role("button", name="Cancel reply").click()

    expect(page.locator(".comment-list #respond")).to_have_count(0)
    expect(page.locator("#comments > #respond")).to_be_visible()
    expect(page.locator('input[name="parent"]')).to_have_value("")
    expect(page.get_by_role("heading", name="Leave a Reply", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Reply to Marco")).to_be_focused()

    fill(page, body="A comment of my own.")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".messages")).to_contain_text("awaiting moderation")
    assert Comment.objects.get(name="Ada Reader").parent is None


def test_without_javascript_the_reply_link_sets_the_parent(live_server, browser, article):
    first = article["first"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article["post"].get_absolute_url())

    page.get_by_role("link", name="Reply to Sophie Laurent").click()

    assert f"replytocom={first.pk}" in page.url
    expect(page.locator(".reply-to")).to_contain_text("Replying to Sophie Laurent")
    expect(page.locator('input[name="parent"]')).to_have_value(str(first.pk))
    fill(page)
    page.get_by_role("button", name="Post Comment").click()
    # No script fetched a token: the site asks once to confirm.
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator(".messages")).to_contain_text("awaiting moderation")
    assert Comment.objects.get(name="Ada Reader").parent == first
    context.close()


def test_a_refused_reply_is_shown_under_its_comment(live_server, page, article):
    first = article["first"]
    page.goto(live_server.url + article["post"].get_absolute_url())
    page.get_by_role("link", name="Reply to Sophie Laurent").click()
    fill(page, email="not an address")

    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator(f"#comment-{first.pk} > #respond .field-email .field-error")).to_have_text(
        "Enter a valid email address."
    )
    expect(page.get_by_label("Name")).to_have_value("Ada Reader")


def remember_box(page):
    return page.get_by_role("checkbox", name="Save my details in this browser")


def test_saved_details_fill_the_form_next_time(live_server, page, article, browser_errors):
    post = article["post"]
    other = PostFactory(title="WhatsApp is back")
    page.goto(live_server.url + post.get_absolute_url())
    expect(remember_box(page)).not_to_be_checked()

    fill(page)
    page.get_by_label("Website").fill("https://ada.example.com")
    remember_box(page).check()
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".messages")).to_contain_text("awaiting moderation")

    page.goto(live_server.url + other.get_absolute_url())
    expect(page.get_by_label("Name")).to_have_value("Ada Reader")
    expect(page.get_by_role("textbox", name="Email")).to_have_value("ada@example.com")
    expect(page.get_by_label("Website")).to_have_value("https://ada.example.com")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("")
    expect(remember_box(page)).to_be_checked()
    # Kept in the browser, not by the site: no cookie carries them.
    assert all("ada" not in cookie["value"] for cookie in page.context.cookies())
    assert browser_errors == []


def test_unticking_forgets_the_details(live_server, page, article):
    post = article["post"]
    page.goto(live_server.url + post.get_absolute_url())
    page.evaluate(
        """localStorage.setItem("blog.commenter",
        JSON.stringify({name: "Ada Reader", email: "ada@example.com", url: ""}))"""
    )
    page.reload()
    expect(remember_box(page)).to_be_checked()

    remember_box(page).uncheck()
    page.get_by_role("textbox", name="Comment").fill("Forget me, please.")
    page.get_by_role("button", name="Post Comment").click()
    expect(page.locator(".messages")).to_contain_text("awaiting moderation")

    assert page.evaluate('localStorage.getItem("blog.commenter")') is None
    page.reload()
    expect(page.get_by_label("Name")).to_have_value("")


def test_the_article_is_the_same_for_every_reader(live_server, browser, article):
    # The saved details live in one browser: another reader's copy carries none.
    url = live_server.url + article["post"].get_absolute_url()
    first, second = browser.new_context(), browser.new_context()
    one, two = first.new_page(), second.new_page()
    one.goto(url)
    one.evaluate(
        """localStorage.setItem("blog.commenter",
        JSON.stringify({name: "Ada Reader", email: "ada@example.com", url: ""}))"""
    )
    one.reload()
    expect(one.get_by_label("Name")).to_have_value("Ada Reader")
    assert "Ada Reader" not in two.request.get(url).text()
    two.goto(url)
    expect(two.get_by_label("Name")).to_have_value("")
    first.close()
    second.close()


def test_pages_reply_in_place_too(live_server, page, settings):
    settings.BLOG_COMMENT_MIN_SECONDS = 0
    about = PageFactory(title="About", comment_mode=Post.CommentMode.OPEN)
    hello = CommentFactory(post=about, name="Priya", body="Hello!")
    page.goto(live_server.url + about.get_absolute_url())

    page.get_by_role("link", name="Reply to Priya").click()

    expect(page.locator(f"#comment-{hello.pk} > #respond")).to_be_visible()
    expect(page.locator('input[name="parent"]')).to_have_value(str(hello.pk))


@pytest.mark.parametrize("width", [375, 1280])
def test_the_moved_form_passes_axe(live_server, browser, article, width, screenshot_dir):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + article["post"].get_absolute_url())
    page.get_by_role("link", name="Reply to Sophie Laurent").click()
    expect(page.get_by_role("button", name="Cancel reply")).to_be_visible()

    for scheme in light_and_dark(page):
        audit(page, scheme)
        page.locator("#respond").screenshot(
            path=screenshot_dir / f"reply-form-{scheme}-{width}.png"
        )
    context.close()
