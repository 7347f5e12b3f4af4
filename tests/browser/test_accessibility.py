"""
axe-core on every kind of public page, in light and dark colour schemes.

No rule is disabled and no element excluded: a serious or critical violation
anywhere fails the test, with its rule, targets and help in the message.
"""

import datetime

import pytest
from playwright.sync_api import expect

from blog.posts.models import Post
from tests.browser.helpers import audit_light_and_dark
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    PageFactory,
    PostFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED = datetime.datetime(2014, 2, 22, 19, 30, tzinfo=datetime.UTC)

BODY = """Not sure if you've noticed any service interruptions with WhatsApp today, \
but it went down some time around 7:30pm CET.

## What happened

![A phone with no signal]({image})

WhatsApp has more than 400m users around the world.

> Could this be a result of a massive change to WhatsApp as we know it?

## What next

Use `Custom Audiences` with care, and read [the status page](https://status.example.com/).

| Network | Users |
|---|---|
| WhatsApp | 450,000,000 |
"""


@pytest.fixture
def site(inline_image):
    author = UserFactory(
        username="maria",
        display_name="Maria Keller",
        bio="Maria runs social media for small brands.",
    )
    marketing = CategoryFactory(
        name="Marketing", slug="marketing", description="Getting noticed online."
    )
    social = CategoryFactory(name="Social Media", slug="social-media", parent=marketing)
    article = PostFactory(
        title="WhatsApp crashes and leaves millions speechless",
        author=author,
        body=BODY.format(image=inline_image),
        published_at=PUBLISHED,
        categories=[social],
        tags=["whatsapp", "outages"],
    )
    closed = PostFactory(
        title="WhatsApp is back, and so are the questions",
        author=author,
        body=BODY.format(image=inline_image),
        published_at=PUBLISHED + datetime.timedelta(hours=2),
        categories=[marketing],
        tags=["whatsapp"],
        comment_mode=Post.CommentMode.CLOSED,
    )
    for day in range(1, 4):
        PostFactory(
            title=f"Notes from the week, part {day}",
            author=author,
            categories=[marketing],
            published_at=PUBLISHED - datetime.timedelta(days=day),
        )
    first = CommentFactory(post=article, name="Sophie Laurent", body="Mine stopped at 7:35pm.")
    reply = CommentFactory(post=article, parent=first, name="Maria Keller", body="Same here!")
    CommentFactory(post=article, parent=reply, name="Tom", body="Telegram got the sign-ups.")
    CommentFactory(post=article, name="Marco", url="https://example.com/", body="Back now.")
    CommentFactory(post=closed, name="Priya", body="Good to have it back.")
    about = PageFactory(
        title="About", slug="about", author=author, body=BODY.format(image=inline_image)
    )
    team = PageFactory(
        title="Our team",
        slug="team",
        parent=about,
        author=author,
        body="Four people, one newsroom.",
        comment_mode=Post.CommentMode.OPEN,
    )
    CommentFactory(post=team, name="Sophie Laurent", body="Hello, team!")
    return {
        "article": article,
        "closed": closed,
        "marketing": marketing,
        "social": social,
        "team": team,
    }


@pytest.fixture
def reader(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"


def test_home(live_server, reader, site):
    visit(reader, live_server.url + "/")
    expect(reader.locator(".post-summary").first).to_be_visible()
    audit_light_and_dark(reader)


def test_article_with_threaded_comments(live_server, reader, site):
    visit(reader, live_server.url + site["article"].get_absolute_url())
    expect(reader.locator("ol.comment-list ol.children").first).to_be_visible()
    expect(reader.locator("form.comment-form")).to_be_visible()
    audit_light_and_dark(reader)


def test_article_with_comments_off(live_server, reader, site):
    visit(reader, live_server.url + site["closed"].get_absolute_url())
    expect(reader.locator(".comments-closed")).to_be_visible()
    audit_light_and_dark(reader)


@pytest.mark.parametrize(
    "path",
    [
        "/category/marketing/",
        "/category/marketing/social-media/",
        "/tag/whatsapp/",
        "/author/maria-keller/",
        "/2014/",
        "/2014/02/",
        "/2014/02/22/",
    ],
)
def test_archives(live_server, reader, site, path):
    visit(reader, live_server.url + path)
    expect(reader.locator(".post-summary").first).to_be_visible()
    audit_light_and_dark(reader)


def test_page_and_subpage(live_server, reader, site):
    visit(reader, live_server.url + "/about/")
    expect(reader.get_by_role("heading", level=1)).to_have_text("About")
    audit_light_and_dark(reader)
    visit(reader, live_server.url + "/about/team/")
    expect(reader.get_by_role("navigation", name="Breadcrumbs")).to_be_visible()
    expect(reader.locator("form.comment-form")).to_be_visible()
    audit_light_and_dark(reader)


def test_search_results(live_server, reader, site):
    visit(reader, live_server.url + "/search/?q=whatsapp")
    found = reader.get_by_role("main").get_by_role("link", name="WhatsApp crashes and leaves")
    expect(found.first).to_be_visible()
    audit_light_and_dark(reader)


def test_comment_form_showing_errors(live_server, reader, site):
    visit(reader, live_server.url + site["article"].get_absolute_url())
    reader.get_by_role("button", name="Post Comment").click()

    expect(reader.locator(".field-body.has-error .field-error")).to_be_visible()
    expect(reader.locator(".field-name.has-error .field-error")).to_be_visible()
    audit_light_and_dark(reader)


def test_not_found_page(live_server, reader, site):
    response = reader.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    expect(reader.get_by_role("heading", level=1)).to_have_text("Page not found")
    audit_light_and_dark(reader)
