"""A page and its subpage in a real browser, at phone and desktop widths."""

import pytest
from playwright.sync_api import expect

from blog.pages.models import Page
from tests.factories import PageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ABOUT = """We are four people writing about marketing for small businesses since 2011.

## What we write about

Landing pages, email, social media and search: what works for a shop with no \
marketing department, tested on our own sites first.

![A phone showing the site]({image})

## Write to us

Send tips and corrections to the newsroom; we answer every message within two days.
"""


@pytest.fixture
def pages(inline_image):
    maria = UserFactory(username="maria", display_name="Maria Keller")
    about = PageFactory(
        title="About", slug="about", author=maria, body=ABOUT.format(image=inline_image)
    )
    team = PageFactory(
        title="Our team",
        slug="team",
        parent=about,
        author=maria,
        body="Maria edits; Tom, Sophie and Priya write.",
        comment_mode=Page.CommentMode.OPEN,
    )
    return about, team


@pytest.mark.parametrize("width", [375, 1280])
def test_a_page_and_its_subpage_fit_the_screen(
    live_server, page, pages, width, assert_fits, browser_errors, screenshot_dir
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/about/")
    expect(page.get_by_role("heading", level=1)).to_have_text("About")
    expect(page.get_by_role("heading", name="What we write about")).to_be_visible()
    assert page.evaluate("[...document.images].every(img => img.complete && img.naturalWidth)")
    assert_fits(page)
    page.screenshot(path=screenshot_dir / f"page-about-{width}.png", full_page=True)

    page.goto(live_server.url + "/about/team/")
    crumbs = page.get_by_role("navigation", name="Breadcrumbs")
    crumbs.get_by_role("link", name="About").click()
    expect(page).to_have_url(live_server.url + "/about/")
    page.go_back()
    expect(page.locator("form.comment-form")).to_be_visible()
    assert_fits(page)
    page.screenshot(path=screenshot_dir / f"page-team-{width}.png", full_page=True)
    assert browser_errors == []
