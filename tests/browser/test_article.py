"""The article page, shaped like the seed article, in a real browser."""

import datetime

import pytest
from playwright.sync_api import expect

from blog.comments.models import Comment
from blog.posts.models import Post
from tests.factories import CategoryFactory, CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "WhatsApp crashes and leaves millions speechless"
PUBLISHED = datetime.datetime(2014, 2, 22, 19, 30, tzinfo=datetime.UTC)

BODY = """## What's up with WhatsApp?

Not sure if you've noticed any service interruptions with everyone's favorite mobile \
instant messaging service, but WhatsApp has gone down today some time around 7:30pm CET. \
This has left the millions of users without access to the incredibly popular app.

![WhatsApp crashes]({image})

WhatsApp has more than 400m users around the world and claims it is adding more than \
1 million new registered users a day. Recently, Facebook owner Mark Zuckerberg shelled out \
a staggering $16 billion with another $3 billion in stock options for this. With a purchase \
like this, Facebook is holding strong to its promise of a mobile focus this year.

> Could this be a result of a massive change to WhatsApp as we know it? Will there be a \
deep integration with our Facebook accounts?

While this may be frustrating from a privacy point of view, this could mean big business \
for Facebook as they have their eye on showing they can be as profitable as they are \
massively influential. Their ad targeting tool, `Custom Audiences`, works with e-mail \
address AND/OR phone number: https://www.facebook.com/business/a/online-sales/custom-audiences-website-and-mobile-app-visitors-and-phone-numbers

Just a thought I had when the service went out and was thinking about possible causes. \
Back to your regular scheduled programming.
"""


@pytest.fixture
def article(inline_image):
    author = UserFactory(username="admin")
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    tips = CategoryFactory(name="Online Marketing Tips", slug="online-marketing-tips",
                           parent=marketing)  # fmt: skip
    CategoryFactory(name="Social Media", slug="social-media", parent=tips)
    for n, title in enumerate(
        [
            "Five landing page mistakes that cost you sign-ups",
            "What Facebook's $19 billion bet means for advertisers",
            "Email subject lines that still work in 2014",
        ]
    ):
        PostFactory(
            title=title,
            author=author,
            categories=[tips if n % 2 else marketing],
            published_at=PUBLISHED - datetime.timedelta(days=n + 1),
        )
    post = PostFactory(
        title=TITLE,
        author=author,
        body=BODY.format(image=inline_image),
        published_at=PUBLISHED,
        categories=[tips],
        tags=["whatsapp", "facebook", "outages"],
    )
    first = CommentFactory(
        post=post,
        name="Maria Lopez",
        body="Mine stopped at 7:35pm here in Madrid. Status page said nothing for an hour: "
        "https://status.example.com/incidents/2014-02-22/whatsapp-messaging-outage-europe-"
        "and-north-america-investigating",
    )
    reply = CommentFactory(
        post=post, parent=first, name="admin", body="Same here, thanks for the report!"
    )
    deeper = reply
    for depth in range(4):
        deeper = CommentFactory(
            post=post,
            parent=deeper,
            name=f"Reader in thread {depth + 1}",
            body="And a reply to that, to see how deep threads fit on a phone.",
        )
    CommentFactory(post=post, name="Tom", body="Telegram got 5 million sign-ups that day.")
    CommentFactory(post=post, name="Spammer", body="cheap pills", status=Comment.Status.SPAM)
    return post


@pytest.mark.parametrize("width", [375, 1280])
def test_article_page(
    live_server, page, article, width, assert_fits, browser_errors, screenshot_dir
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())

    expect(page.locator("h1.entry-title")).to_have_text(TITLE)
    meta = page.locator("article.post p.post-meta")
    expect(meta).to_be_visible()
    text = meta.inner_text()
    assert text.startswith("Feb 22, 2014"), text
    assert " // by " in text
    assert text.endswith("// 7 Comments"), text
    expect(page.locator(".entry-content h2")).to_have_text("What's up with WhatsApp?")
    image = page.locator(".entry-content img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "image did not load"
    assert image.bounding_box()["width"] <= page.locator(".entry-content").bounding_box()["width"]
    expect(page.locator("ol.comment-list ol.children").first).to_be_visible()
    expect(page.locator("form.comment-form")).to_be_visible()
    assert_fits(page)

    page.screenshot(path=screenshot_dir / f"article-{width}.png", full_page=True)
    assert browser_errors == []


@pytest.mark.parametrize("width", [375, 1280])
def test_sidebar_placement(live_server, page, article, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())

    content = page.locator("main.content").bounding_box()
    sidebar = page.locator("aside.sidebar").bounding_box()
    if width >= 1280:
        assert sidebar["x"] >= content["x"] + content["width"], "sidebar should be on the right"
    else:
        assert sidebar["y"] >= content["y"] + content["height"], "sidebar should follow content"
    expect(page.locator(".widget-title", has_text="Recent Posts")).to_be_visible()
    child = page.locator(".category-tree li.depth-1", has_text="Online Marketing Tips")
    parent = page.locator(".category-tree li.depth-0", has_text="Marketing")
    assert child.bounding_box()["x"] == parent.bounding_box()["x"]
    assert child.locator("a").bounding_box()["x"] > parent.locator("a").bounding_box()["x"]


def test_measure_is_comfortable(live_server, page, article):
    """Body paragraphs hold 60–75 characters a line on a wide screen."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())
    chars = page.locator(".entry-content p").first.evaluate(
        """p => {
            const probe = document.createElement("span");
            probe.textContent = p.textContent.slice(0, 300);
            probe.style.whiteSpace = "nowrap";
            p.append(probe);
            const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
            probe.remove();
            return p.clientWidth / perChar;
        }"""
    )
    assert 60 <= chars <= 78, f"{chars:.0f} characters a line"


def test_post_a_comment(live_server, page, article, browser_errors, screenshot_dir, settings):
    # A robot types faster than the anti-spam minimum a person takes.
    settings.BLOG_COMMENT_MIN_SECONDS = 0
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())

    page.get_by_label("Name").fill("Ada Reader")
    page.get_by_role("textbox", name="Email").fill("ada@example.com")
    page.get_by_role("textbox", name="Comment").fill("It is back up for me now.")
    page.get_by_role("button", name="Post Comment").click()

    message = page.locator(".messages")
    expect(message).to_contain_text("Your comment is awaiting moderation.")
    # The redirect lands on #comments, so the message must be shown there, not at the top.
    expect(message).to_be_in_viewport()
    comment = Comment.objects.get(name="Ada Reader")
    assert comment.status == Comment.Status.PENDING
    assert comment.post == article
    assert comment.body == "It is back up for me now."
    # Shown to its author only, marked as waiting.
    own = page.locator(f"#comment-{comment.pk}")
    expect(own).to_contain_text("It is back up for me now.")
    expect(own).to_contain_text("awaiting moderation")
    page.screenshot(path=screenshot_dir / "article-comment-posted-375.png")
    assert browser_errors == []


def test_comment_errors_are_shown(live_server, page, article, screenshot_dir, assert_fits):
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())

    page.get_by_label("Name").fill("Ada Reader")
    page.get_by_role("textbox", name="Email").fill("not an address")
    page.get_by_role("button", name="Post Comment").click()

    expect(page.locator(".field-email.has-error .field-error")).to_be_visible()
    expect(page.locator(".field-body.has-error .field-error")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Ada Reader")
    assert_fits(page)
    page.locator("#respond").screenshot(path=screenshot_dir / "comment-form-errors-375.png")
    assert not Comment.objects.filter(name="Ada Reader").exists()


def test_closed_post_says_comments_off(
    live_server, page, article, assert_fits, browser_errors, screenshot_dir
):
    Post.objects.filter(pk=article.pk).update(comment_mode=Post.CommentMode.CLOSED)
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())

    meta = page.locator("article.post p.post-meta")
    expect(meta).to_be_visible()
    assert meta.inner_text().endswith(f"Comments Off on {TITLE}")
    expect(page.locator("form.comment-form")).to_have_count(0)
    expect(page.locator(".comments-closed")).to_have_text("Comments are closed.")
    assert_fits(page)
    page.locator("#comments").screenshot(path=screenshot_dir / "article-closed-375.png")
    assert browser_errors == []


def test_skip_link_shows_on_focus(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    skip = page.locator("a.skip-link")
    assert not skip.is_visible() or skip.bounding_box()["y"] < 0
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0


def test_dark_mode_and_print(live_server, page, article, screenshot_dir, assert_fits):
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + article.get_absolute_url())
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(253, 252, 250)", "dark mode keeps the light background"
    page.screenshot(path=screenshot_dir / "article-1280-dark.png", full_page=True)

    page.emulate_media(media="print", color_scheme="light")
    expect(page.locator("aside.sidebar")).to_be_hidden()
    expect(page.locator("form.comment-form")).to_be_hidden()
    expect(page.locator("article.post p.post-meta")).to_be_visible()
    page.screenshot(path=screenshot_dir / "article-print.png", full_page=True)


TYPOGRAPHY = """Opening paragraph with `inline code`, **bold**, *italic* and a \
[link](https://example.com/a/really/long/path/that/keeps/going/and/going/without/any/break).

### A third-level heading

- An unordered list item
- Another one, with a nested list:
    - nested item

1. First step
2. Second step

```
$ curl -sS https://example.com/api/v1/some/really/long/endpoint?with=query&and=more&params=1 | jq
```

| Network | Users (2014) | Owner | Notes about the acquisition and the outage window |
|---|---|---|---|
| WhatsApp | 450,000,000 | Facebook | Bought for $19 billion, down for hours days later |
| Instagram | 150,000,000 | Facebook | Bought for $1 billion in 2012 |

<figure><img src="{image}" alt="A phone"><figcaption>A caption.</figcaption></figure>

Pneumonoultramicroscopicsilicovolcanoconiosis-and-an-even-longer-unbroken-token-that-\
never-ends-https://example.com/?q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
"""


@pytest.mark.parametrize("width", [375, 1280])
def test_typography_fits(live_server, page, inline_image, width, assert_fits, screenshot_dir):
    """Tables, code, figures and unbroken words never widen the page."""
    post = PostFactory(title="Typography check", body=TYPOGRAPHY.format(image=inline_image))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + post.get_absolute_url())

    expect(page.locator(".entry-content table")).to_be_visible()
    expect(page.locator(".entry-content pre")).to_be_visible()
    expect(page.locator(".entry-content figcaption")).to_be_visible()
    assert_fits(page)
    if width < 600:
        table = page.locator(".entry-content table")
        assert table.evaluate("t => t.scrollWidth > t.clientWidth"), "table should scroll itself"
    page.locator("article.post").screenshot(path=screenshot_dir / f"typography-{width}.png")
