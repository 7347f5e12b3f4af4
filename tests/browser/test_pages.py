"""Lists of posts and the admin, in a real browser."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CategoryFactory, PostFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = [
    "WhatsApp crashes and leaves millions speechless",
    "Five landing page mistakes that cost you sign-ups",
    "What Facebook's $19 billion bet means for advertisers",
    "Email subject lines that still work in 2014",
    "A/B testing without a statistics degree",
    "Why your bounce rate is lying to you",
    "Retargeting: creepy or clever?",
    "The one-page marketing plan for small shops",
    "How often should a small business blog?",
    "Local SEO in an afternoon",
    "Writing product pages people finish reading",
    "Podcasts for marketers who commute",
]


@pytest.fixture
def posts():
    author = UserFactory(username="admin", display_name="Admin")
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    tips = CategoryFactory(name="Online Marketing Tips", slug="online-marketing-tips",
                           parent=marketing)  # fmt: skip
    social = CategoryFactory(name="Social Media", slug="social-media", parent=tips)
    start = timezone.now() - datetime.timedelta(days=1)
    return [
        PostFactory(
            title=title,
            author=author,
            categories=[(tips, marketing, social)[n % 3]],
            tags=["marketing"],
            published_at=start - datetime.timedelta(days=n),
            excerpt=(
                "A short look at what happened, why it matters to people who sell online, "
                "and what you can do about it this week. "
                "https://example.com/a/very/long/link/that/must/not/push/the/page/sideways"
                if n % 4 == 0
                else ""
            ),
        )
        for n, title in enumerate(TITLES)
    ]


@pytest.mark.parametrize("width", [375, 1280])
def test_home_page(live_server, page, posts, width, assert_fits, browser_errors, screenshot_dir):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")

    expect(page.locator(".post-summary")).to_have_count(10)
    expect(page.locator(".post-summary .post-meta").first).to_contain_text(" // by Admin")
    expect(page.locator("nav.pagination")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / f"home-{width}.png", full_page=True)
    assert browser_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_category_archive(
    live_server, page, posts, width, assert_fits, browser_errors, screenshot_dir
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/category/marketing/online-marketing-tips/social-media/")

    expect(page.locator("h1.archive-title")).to_have_text("Category: Social Media")
    expect(page.locator("nav.breadcrumbs li")).to_have_count(3)
    assert_fits(page)
    page.screenshot(path=screenshot_dir / f"category-{width}.png", full_page=True)
    assert browser_errors == []


def test_admin_post_list(live_server, page, posts, screenshot_dir, browser_errors):
    """The admin still renders under the site's Content-Security-Policy."""
    StaffFactory(username="editor")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/?next=/admin/posts/post/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()

    expect(page.locator("#result_list")).to_be_visible()
    expect(page.locator("#result_list tbody tr")).to_have_count(len(TITLES))
    page.screenshot(path=screenshot_dir / "admin-post-list-1280.png", full_page=True)
    assert browser_errors == [], "\n".join(browser_errors)
