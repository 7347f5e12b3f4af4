"""
The article page's extras: previous/next posts, related posts, reading time,
a table of contents, and share links.
"""

import datetime
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from blog.markup import outline, render_post
from blog.posts import preview
from blog.posts.models import Post
from tests import query_counts
from tests.factories import CategoryFactory, PostFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def ago(days=0, hours=0):
    return NOW - datetime.timedelta(days=days, hours=hours)


def neighbours(response):
    """``{"Previous post": title, "Next post": title}`` from the posts navigation."""
    navs = page(response).select('nav[aria-label="Posts"]')
    if not navs:
        return {}
    return {
        text_of(one(link, ".nav-label")): text_of(one(link, ".nav-title"))
        for link in one(page(response), 'nav[aria-label="Posts"]').select("a")
    }


def related_titles(response):
    return [text_of(a) for a in page(response).select(".related-posts li a")]


def toc(response):
    return page(response).select('nav[aria-label="Table of contents"]')


# -- Previous and next posts --------------------------------------------------


@pytest.fixture
def timeline():
    """Three published posts, with a draft, a private and a trashed one between them."""
    first = PostFactory(title="First", published_at=ago(days=5))
    PostFactory(title="A draft", status=Post.Status.DRAFT, published_at=ago(days=4))
    PostFactory(title="A private one", status=Post.Status.PRIVATE, published_at=ago(days=4))
    middle = PostFactory(title="Middle", published_at=ago(days=3))
    PostFactory(title="Thrown away", published_at=ago(days=2)).trash()
    last = PostFactory(title="Last", published_at=ago(days=1))
    return first, middle, last


def test_previous_and_next_skip_what_readers_cannot_see(client, timeline):
    first, middle, last = timeline

    response = client.get(middle.get_absolute_url())

    assert neighbours(response) == {"Previous post": "First", "Next post": "Last"}
    nav = one(page(response), 'nav[aria-label="Posts"]')
    assert one(nav, 'a[rel="prev"]').attrs["href"] == first.get_absolute_url()
    assert one(nav, 'a[rel="next"]').attrs["href"] == last.get_absolute_url()


def test_the_first_post_has_no_previous_and_the_newest_no_next(client, timeline):
    first, _middle, last = timeline

    assert neighbours(client.get(first.get_absolute_url())) == {"Next post": "Middle"}
    assert neighbours(client.get(last.get_absolute_url())) == {"Previous post": "Middle"}


def test_a_lone_post_has_no_posts_navigation(client):
    post = PostFactory()

    assert page(client.get(post.get_absolute_url())).select('nav[aria-label="Posts"]') == []


def test_a_scheduled_post_becomes_next_once_it_is_live(client, timeline):
    _first, _middle, last = timeline
    PostFactory(title="Tomorrow's news", published_at=NOW + datetime.timedelta(hours=2))

    assert neighbours(client.get(last.get_absolute_url())) == {"Previous post": "Middle"}
    with time_machine.travel(NOW + datetime.timedelta(hours=3)):
        assert neighbours(client.get(last.get_absolute_url())) == {
            "Previous post": "Middle",
            "Next post": "Tomorrow's news",
        }


def test_posts_published_at_the_same_moment_still_have_an_order(client):
    same = ago(days=1)
    one_, two, three = (PostFactory(title=t, published_at=same) for t in ("One", "Two", "Three"))

    assert neighbours(client.get(two.get_absolute_url())) == {
        "Previous post": "One",
        "Next post": "Three",
    }
    assert neighbours(client.get(one_.get_absolute_url())) == {"Next post": "Two"}
    assert neighbours(client.get(three.get_absolute_url())) == {"Previous post": "Two"}


# -- Related posts -------------------------------------------------------------


@pytest.fixture
def news():
    return CategoryFactory(name="News", slug="news")


@pytest.fixture
def article(news):
    return PostFactory(title="The article", tags=["a", "b", "c"], categories=[news])


@pytest.fixture
def relatives(news):
    """Posts related to ``article``, in the order they should be listed."""
    return [
        PostFactory(title="Two tags, old", tags=["a", "b"], published_at=ago(days=10)),
        PostFactory(
            title="One tag and the category",
            tags=["b"],
            categories=[news],
            published_at=ago(days=8),
        ),
        PostFactory(title="One tag, newer", tags=["c"], published_at=ago(days=3)),
        PostFactory(title="One tag, older", tags=["a"], published_at=ago(days=9)),
        PostFactory(title="The category only, newest", categories=[news], published_at=ago()),
    ]


@pytest.fixture
def not_related(article):
    """Posts that share everything with ``article`` but readers cannot see, and a stranger."""
    shared = {"tags": ["a", "b", "c"]}
    PostFactory(title="A draft", status=Post.Status.DRAFT, published_at=None, **shared)
    PostFactory(title="Scheduled", published_at=NOW + datetime.timedelta(days=1), **shared)
    PostFactory(title="Trashed", **shared).trash()
    PostFactory(title="Nothing in common", tags=["z"], published_at=ago(hours=1))


def test_related_posts_by_shared_tags_then_category_then_newest(article, relatives, not_related):
    found = Post.objects.published().related_to(article)

    assert [post.title for post in found] == [post.title for post in relatives]


def test_the_article_shows_three_related_posts_with_their_dates(
    client, article, relatives, not_related
):
    response = client.get(article.get_absolute_url())

    assert related_titles(response) == [post.title for post in relatives[:3]]
    first = page(response).select(".related-posts li")[0]
    assert one(first, "a").attrs["href"] == relatives[0].get_absolute_url()
    expected_date = timezone.localtime(relatives[0].published_at).strftime("%b %-d, %Y")
    assert text_of(one(first, "time")) == expected_date


def test_a_post_with_nothing_in_common_shows_no_related_posts(client, article):
    PostFactory(title="Nothing in common", tags=["z"])

    assert page(client.get(article.get_absolute_url())).select(".related-posts") == []


# -- Reading time --------------------------------------------------------------


@pytest.mark.parametrize(("words", "minutes"), [(1, 1), (200, 1), (201, 2), (1000, 5)])
def test_reading_time(client, words, minutes):
    post = PostFactory(body=" ".join(["word"] * words))

    header = one(page(client.get(post.get_absolute_url())), "header.entry-header")

    assert post.reading_time == minutes
    assert text_of(one(header, "p.reading-time")) == f"{minutes} min read"
    # Below the meta line, which stays as it was.
    assert one(header, "p.post-meta").find_next_sibling("p") == one(header, "p.reading-time")
    assert "min read" not in text_of(one(header, "p.post-meta"))


def test_reading_time_counts_the_text_not_the_markup():
    post = PostFactory(body='<p class="lead"><a href="/x/" title="a b c d">Two words</a></p>')

    assert post.reading_time == 1
    assert Post(body_html="").reading_time == 1


# -- Table of contents and heading ids -----------------------------------------

THREE_SECTIONS = """Intro text, see [the setup](#setup).

## Setup

### Install

### Configure

## Usage

## Setup
"""


def entry_ids(response):
    return [tag.attrs["id"] for tag in page(response).select(".entry-content [id]")]


def test_two_headings_have_no_table_of_contents(client):
    post = PostFactory(body="## One\n\ntext\n\n### Two\n\ntext")

    response = client.get(post.get_absolute_url())

    assert toc(response) == []
    # They still get anchors.
    assert len(page(response).select(".entry-content h2[id], .entry-content h3[id]")) == 2


def test_three_headings_get_a_nested_table_of_contents_linking_to_them(client):
    post = PostFactory(body=THREE_SECTIONS)

    response = client.get(post.get_absolute_url())

    nav = one(page(response), 'nav[aria-label="Table of contents"]')
    top = nav.find("ol").find_all("li", recursive=False)
    assert [text_of(li.find("a")) for li in top] == ["Setup", "Usage", "Setup"]
    assert [text_of(a) for a in top[0].find("ol").select("a")] == ["Install", "Configure"]
    targets = [a.attrs["href"].removeprefix("#") for a in nav.select("a")]
    headings = page(response).select(".entry-content h2, .entry-content h3")
    assert targets == [h.attrs["id"] for h in headings]


def test_duplicate_headings_get_distinct_ids_and_in_body_links_follow(client):
    post = PostFactory(body=THREE_SECTIONS)

    response = client.get(post.get_absolute_url())

    ids = [h.attrs["id"] for h in page(response).select(".entry-content h2")]
    assert ids == ["section-setup", "section-usage", "section-setup-2"]
    assert one(page(response), '.entry-content a[href^="#"]').attrs["href"] == "#section-setup"


def test_raw_html_headings_get_ids_and_a_table_of_contents(client):
    # As WordPress bodies look (posts stored before heading ids get theirs from
    # the data migration: tests/posts/test_derived_fields.py).
    post = PostFactory(
        body="<h2>Before</h2>\n<p>x</p>\n<h2>During</h2>\n<h3>Detail</h3>",
        body_format=Post.BodyFormat.HTML,
    )

    response = client.get(post.get_absolute_url())

    assert entry_ids(response) == ["section-before", "section-during", "section-detail"]
    assert len(toc(response)) == 1


def test_heading_ids_never_clash_with_the_pages_ids(client):
    post = PostFactory(
        body='## Content\n\n## Comments\n\n## Respond\n\n<h2 id="comments">Again</h2>',
    )

    response = client.get(post.get_absolute_url())

    assert entry_ids(response) == [
        "section-content",
        "section-comments",
        "section-respond",
        "section-again",
    ]
    every_id = [tag.attrs["id"] for tag in page(response).select("[id]")]
    assert "content" in every_id and "comments" in every_id
    assert [i for i, n in Counter(every_id).items() if n > 1] == []


def test_an_id_the_author_chose_stays():
    html, headings = outline('<h2 id="faq">Questions</h2><h2 class="x">Questions</h2>')

    assert [h.id for h in headings] == ["faq", "section-questions"]
    assert html == '<h2 id="faq">Questions</h2><h2 id="section-questions" class="x">Questions</h2>'


def test_links_follow_a_renamed_heading_but_code_showing_a_link_stays():
    body_html = render_post('## Intro\n\n[Up](#intro)\n\n    <a href="#intro">Up</a>')

    html, _headings = outline(body_html)

    assert '<a href="#section-intro">Up</a>' in html
    assert '<code>&lt;a href="#intro"&gt;Up&lt;/a&gt;' in html


def test_generated_ids_avoid_ids_already_in_the_body():
    html, headings = outline('<div id="section-intro"></div><h2>Intro</h2><h2>Intro</h2>')

    assert [h.id for h in headings] == ["section-intro-2", "section-intro-3"]


def test_heading_text_is_escaped_in_the_table_of_contents(client):
    post = PostFactory(body="## A &lt;b&gt; tag\n\n## Two\n\n## Three")

    response = client.get(post.get_absolute_url())

    assert text_of(toc(response)[0].select("a")[0]) == "A <b> tag"
    assert "<b> tag" not in response.text


# -- Share links ---------------------------------------------------------------


def test_share_links_encode_the_title_and_the_permalink(client):
    post = PostFactory(title='Q&A: "Why?" #1 café & more', slug="q-and-a")

    response = client.get(post.get_absolute_url())

    share = one(page(response), "section.share")
    permalink = f"http://testserver{post.get_absolute_url()}"
    links = {text_of(a): a.attrs for a in share.select("a")}
    assert set(links) == {"Share on X", "Share on Facebook", "Share on LinkedIn", "Share by email"}
    queries = {name: parse_qs(urlsplit(attrs["href"]).query) for name, attrs in links.items()}
    assert queries["Share on X"] == {"text": [post.title], "url": [permalink]}
    assert queries["Share on Facebook"] == {"u": [permalink]}
    assert queries["Share on LinkedIn"] == {"url": [permalink]}
    assert queries["Share by email"] == {"subject": [post.title], "body": [permalink]}
    # Encoded, not merely escaped: nothing in the URLs a browser would read
    # as another parameter or a fragment.
    for attrs in links.values():
        query = urlsplit(attrs["href"]).query
        assert " " not in query and "#" not in query and '"' not in query
        assert attrs["rel"] == "noopener noreferrer"
    assert urlsplit(links["Share by email"]["href"]).scheme == "mailto"
    assert share.select("script, iframe, img") == []


# -- Protected posts and previews ----------------------------------------------


def test_a_locked_post_shows_only_the_posts_navigation(client, news):
    PostFactory(title="Older", tags=["a"], published_at=ago(days=3))
    post = PostFactory(
        title="Members only", password="open sesame", tags=["a"], body=THREE_SECTIONS
    )

    response = client.get(post.get_absolute_url())

    tree = page(response)
    assert tree.select(".entry-content") == []
    assert "Intro text" not in response.text
    assert toc(response) == []
    assert tree.select(".related-posts, section.share, .reading-time") == []
    assert neighbours(response) == {"Previous post": "Older"}


def test_an_unlocked_post_shows_everything(client):
    PostFactory(title="Older", tags=["a"], published_at=ago(days=3))
    post = PostFactory(password="open sesame", tags=["a"], body=THREE_SECTIONS)
    client.post(reverse("posts:unlock", kwargs={"pk": post.pk}), {"password": "open sesame"})

    response = client.get(post.get_absolute_url())

    assert len(toc(response)) == 1
    assert related_titles(response) == ["Older"]
    assert len(page(response).select("section.share")) == 1


def test_a_preview_shows_no_related_posts_or_share_links(client):
    PostFactory(title="Older", tags=["a"], published_at=ago(days=3))
    draft = PostFactory(status=Post.Status.DRAFT, published_at=None, tags=["a"])
    published = PostFactory(tags=["a"])

    response = client.get(preview.link_for(draft))

    assert response.status_code == 200
    assert page(response).select(".related-posts, section.share") == []
    # A draft has no place in the sequence.
    assert neighbours(response) == {}
    # A published post's link leads to the article itself.
    assert client.get(preview.link_for(published))["Location"] == published.get_absolute_url()


# -- Queries -------------------------------------------------------------------


@pytest.mark.parametrize("posts", [10, 100])
def test_article_queries_do_not_grow_with_posts(client, django_assert_num_queries, news, posts):
    made = [
        PostFactory(
            title=f"Post {n}",
            tags=["apps", "news", f"tag-{n}"],
            categories=[news],
            published_at=ago(hours=n),
            body=THREE_SECTIONS,
        )
        for n in range(posts)
    ]
    post = made[5]

    with django_assert_num_queries(query_counts.ARTICLE):
        response = client.get(post.get_absolute_url())

    assert neighbours(response) == {"Previous post": "Post 6", "Next post": "Post 4"}
    # All share as much: the newest three.
    assert related_titles(response) == ["Post 0", "Post 1", "Post 2"]
    assert len(toc(response)) == 1
