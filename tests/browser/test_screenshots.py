"""
Full-page screenshots of home and article at phone, tablet and desktop widths.

CI keeps tests/browser/screenshots/ (git-ignored) as an artifact; the
pictures in docs/ for the README are copies of two of them (readme-*.png).
"""

import datetime

import pytest
from playwright.sync_api import expect

from tests.factories import CategoryFactory, CommentFactory, PostFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLISHED = datetime.datetime(2014, 2, 22, 19, 30, tzinfo=datetime.UTC)
TITLE = "WhatsApp crashes and leaves millions speechless"

BODY = """Not sure if you've noticed any service interruptions with everyone's favorite \
mobile instant messaging service, but WhatsApp has gone down today some time around 7:30pm \
CET. This has left the millions of users without access to the incredibly popular app.

## What's up with WhatsApp?

![A phone showing WhatsApp with no connection]({image})

WhatsApp has more than 400m users around the world and claims it is adding more than \
1 million new registered users a day. Recently, Facebook owner Mark Zuckerberg shelled out \
a staggering $16 billion with another $3 billion in stock options for this.

> Could this be a result of a massive change to WhatsApp as we know it? Will there be a \
deep integration with our Facebook accounts?

While this may be frustrating from a privacy point of view, this could mean big business \
for Facebook as they have their eye on showing they can be as profitable as they are \
massively influential. Their ad targeting tool, `Custom Audiences`, works with e-mail \
address and phone number.

Just a thought I had when the service went out. Back to your regular scheduled programming.
"""

SUMMARIES = [
    "Five landing page mistakes that cost you sign-ups",
    "What Facebook's $19 billion bet means for advertisers",
    "Email subject lines that still work in 2014",
    "A/B testing without a statistics degree",
]


@pytest.fixture
def article(inline_image):
    author = UserFactory(username="maria", display_name="Maria Keller")
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    tips = CategoryFactory(name="Online Marketing Tips", slug="online-marketing-tips",
                           parent=marketing)  # fmt: skip
    for n, title in enumerate(SUMMARIES, start=1):
        PostFactory(
            title=title,
            author=author,
            categories=[tips if n % 2 else marketing],
            tags=["marketing"],
            published_at=PUBLISHED - datetime.timedelta(days=n * 9),
        )
    post = PostFactory(
        title=TITLE,
        author=author,
        body=BODY.format(image=inline_image),
        published_at=PUBLISHED,
        categories=[tips],
        tags=["whatsapp", "facebook", "outages"],
    )
    hour = datetime.timedelta(hours=1)
    first = CommentFactory(post=post, name="Sophie Laurent", created_at=PUBLISHED + hour,
                           body="Mine stopped at 7:35pm here in Madrid.")  # fmt: skip
    CommentFactory(post=post, parent=first, name="Maria Keller", created_at=PUBLISHED + 2 * hour,
                   body="Same here, thanks for the report!")  # fmt: skip
    CommentFactory(post=post, name="Tom", created_at=PUBLISHED + 3 * hour,
                   body="Telegram got 5 million sign-ups that day.")  # fmt: skip
    return post


@pytest.mark.parametrize("width", [375, 768, 1280])
@pytest.mark.parametrize("name", ["home", "article"])
def test_screenshot(
    live_server, page, article, name, width, assert_fits, browser_errors, screenshot_dir
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + ("/" if name == "home" else article.get_absolute_url()))
    expect(page.get_by_text(TITLE).first).to_be_visible()
    # Screenshots show the page as it is, with every image decoded.
    assert page.evaluate("[...document.images].every(img => img.complete && img.naturalWidth)")
    assert_fits(page)

    page.screenshot(path=screenshot_dir / f"readme-{name}-{width}.png", full_page=True)
    assert browser_errors == []
