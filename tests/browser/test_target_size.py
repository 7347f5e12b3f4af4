"""
Every interactive element of an article (and of the lists of posts) is at
least 24 by 24 CSS pixels, or spaced as WCAG 2.2's target-size rule (2.5.8)
allows, on a phone (375 px): checked by axe-core's target-size rule and by
measuring every link and control outside running text.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from blog.posts.models import Post
from tests.factories import CategoryFactory, CommentFactory, PageFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED = datetime.datetime(2014, 2, 22, 19, 30, tzinfo=datetime.UTC)
BODY = """WhatsApp went down some time around 7:30pm CET, [says the status page](https://status.example.com/).

## What happened

Use `Custom Audiences` with care, and read [the notes](https://example.com/notes).
"""


@pytest.fixture
def article():
    author = UserFactory(username="maria", display_name="Maria Keller")
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    social = CategoryFactory(name="Social Media", slug="social-media", parent=marketing)
    post = PostFactory(
        title="WhatsApp crashes and leaves millions speechless",
        author=author,
        body=BODY,
        published_at=PUBLISHED,
        categories=[social, marketing],
        tags=["whatsapp", "outages", "apps"],
    )
    for day in range(1, 4):
        PostFactory(
            title=f"Notes from the week, part {day}",
            author=author,
            categories=[social],
            tags=["whatsapp"],
            published_at=PUBLISHED + datetime.timedelta(days=day * (-1) ** day),
        )
    first = CommentFactory(post=post, name="Sophie Laurent", body="Mine stopped at 7:35pm.")
    reply = CommentFactory(post=post, parent=first, name="Maria Keller", body="Same here!")
    CommentFactory(post=post, parent=reply, name="Tom", body="Telegram got the sign-ups.")
    CommentFactory(post=post, name="Marco", url="https://example.com/", body="Back now.")
    return post


@pytest.fixture
def page_with_comments():
    about = PageFactory(title="About", slug="about", comment_mode=Post.CommentMode.OPEN)
    hello = CommentFactory(post=about, name="Priya", body="Hello, team!")
    CommentFactory(post=about, parent=hello, name="Maria", body="Hi Priya.")
    return about


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


def small_targets(page):
    """axe-core's target-size (WCAG 2.5.8) violations: each failing element's selector."""
    results = Axe().run(page, options={"runOnly": ["target-size"], "resultTypes": ["violations"]})
    return [
        f"{', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def test_the_article_has_no_small_targets_on_a_phone(phone, live_server, article, screenshot_dir):
    phone.goto(live_server.url + article.get_absolute_url())
    phone.screenshot(path=str(screenshot_dir / "article-targets-375.png"), full_page=True)

    failing = small_targets(phone)

    assert not failing, f"{len(failing)} targets too small:\n" + "\n".join(failing)


def test_reply_links_are_at_least_24_pixels_each_way(phone, live_server, article):
    phone.goto(live_server.url + article.get_absolute_url())

    boxes = phone.locator(".comment-reply-link").evaluate_all(
        "links => links.map(link => { const r = link.getBoundingClientRect();"
        " return [r.width, r.height]; })"
    )

    assert boxes and all(w >= 24 and h >= 24 for w, h in boxes), boxes


# Every visible control and link smaller than 24 px either way, but links inside
# the sentences of an article or a comment (WCAG's inline exception: they sit in
# running text, whose line height is the author's).
SMALL = """() => {
  const targets = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  const small = [];
  for (const el of document.querySelectorAll(targets)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest(".visually-hidden, [aria-hidden=true], .entry-content, .comment-body")) continue;
    if (box.width < 24 || box.height < 24) {
      const text = (el.textContent || el.name || "").trim().slice(0, 30);
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${el.tagName.toLowerCase()} in .${el.parentElement.className} "${text}" ${size}`);
    }
  }
  return small;
}"""


def test_every_link_and_control_outside_sentences_is_24_pixels(phone, live_server, article):
    phone.goto(live_server.url + article.get_absolute_url())

    small = phone.evaluate(SMALL)

    assert not small, f"{len(small)} targets under 24 px:\n" + "\n".join(small)


def test_a_page_with_comments_has_no_small_targets_on_a_phone(
    phone, live_server, page_with_comments
):
    phone.goto(live_server.url + page_with_comments.get_absolute_url())

    assert not small_targets(phone)
    assert not phone.evaluate(SMALL)


@pytest.mark.parametrize("path", ["/", "/category/marketing/"])
def test_lists_have_no_small_targets_on_a_phone(phone, live_server, article, path):
    # The meta lines and "Continue reading" links of every summary, the sidebar, the footer.
    phone.goto(live_server.url + path)

    assert not phone.evaluate(SMALL)
    assert not small_targets(phone)
