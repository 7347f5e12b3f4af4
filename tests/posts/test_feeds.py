"""
Post feeds as a feed reader sees them: parsed by feedparser, fetched again
with the validators it kept, at the addresses the pages advertise.
"""

import datetime
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import pytest
import time_machine
from django.utils.http import http_date

from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests import query_counts
from tests.factories import (
    CategoryFactory,
    CommentFactory,
    PostFactory,
    UserFactory,
    category_tree,
)
from tests.feed_helpers import RSS_AND_ATOM, parse_feed, titles
from tests.helpers import page
from tests.helpers import parse as parse_html
from tests.media.factories import ImageFactory
from tests.shared_rows import keep_rows

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2014, 2, 22, 12, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def jane():
    return UserFactory(username="jane", display_name="Jane Doe")


def set_full_text(value):
    SiteSettings.objects.update_or_create(pk=1, defaults={"feed_full_text": value})


def fetch(client, url, version, **extra):
    return parse_feed(client.get(url, **extra), version)


# Every feed, and what is in it


@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_every_post_feed_answers_and_parses_with_its_own_posts(
    client, jane, categories, suffix, version
):
    marketing, seo, local = categories
    other = CategoryFactory(name="Other", slug="other")
    in_local = PostFactory(
        title="Local listings", author=jane, categories=[local], tags=["apps"],
        published_at=NOW - 3 * HOUR,
    )  # fmt: skip
    in_seo = PostFactory(
        title="Search basics", categories=[seo], tags=["apps", "search"],
        published_at=NOW - 2 * HOUR,
    )  # fmt: skip
    elsewhere = PostFactory(title="Elsewhere", author=jane, categories=[other],
                            published_at=NOW - HOUR)  # fmt: skip

    expected = {
        "/feed/": [elsewhere, in_seo, in_local],
        "/category/marketing/feed/": [in_seo, in_local],  # from the categories below it
        "/category/marketing/seo/feed/": [in_seo, in_local],
        "/category/marketing/seo/local/feed/": [in_local],
        "/category/other/feed/": [elsewhere],
        "/tag/apps/feed/": [in_seo, in_local],
        "/tag/search/feed/": [in_seo],
        "/author/jane-doe/feed/": [elsewhere, in_local],
    }
    for url, posts in expected.items():
        feed = fetch(client, url + suffix, version)
        assert titles(feed) == [p.title for p in posts], url
        assert feed.feed.link == "http://testserver" + url.removesuffix("feed/"), url


def test_feed_titles_name_the_archive(client, jane, categories):
    PostFactory(author=jane, categories=[categories[1]], tags=["apps"])
    assert fetch(client, "/feed/", "rss20").feed.title == "Online Marketing Journal"
    assert (
        fetch(client, "/category/marketing/seo/feed/", "rss20").feed.title
        == "Online Marketing Journal » SEO"
    )
    assert fetch(client, "/tag/apps/feed/", "rss20").feed.title == "Online Marketing Journal » apps"
    assert (
        fetch(client, "/author/jane-doe/feed/atom/", "atom10").feed.title
        == "Online Marketing Journal » Posts by Jane Doe"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/category/nothing/feed/",
        "/category/nothing/feed/atom/",
        "/tag/nothing/feed/",
        "/tag/nothing/feed/atom/",
        "/author/nobody/feed/",
        "/author/nobody/feed/atom/",
    ],
)
def test_feeds_of_unknown_archives_are_not_found(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_an_empty_feed_still_parses(client, suffix, version):
    feed = fetch(client, "/feed/" + suffix, version)
    assert feed.entries == []


def test_a_category_feed_at_an_old_path_moves_to_the_current_one(client, categories):
    PostFactory(categories=[categories[1]])
    response = client.get("/category/seo/feed/atom/")
    assert response.status_code == 301
    assert response["Location"] == "/category/marketing/seo/feed/atom/"


def test_the_feed_carries_the_latest_ten_posts(client):
    posts = [PostFactory(published_at=NOW - n * HOUR) for n in range(1, 13)]
    assert titles(fetch(client, "/feed/", "rss20")) == [p.title for p in posts[:10]]


# Visibility


def test_drafts_and_other_unpublished_posts_are_never_in_a_feed(client, jane):
    PostFactory(title="Live", author=jane, tags=["apps"])
    for status in ("draft", "pending", "private", "trash"):
        PostFactory(title=f"A {status} post", author=jane, tags=["apps"], status=status)
    for url in ("/feed/", "/tag/apps/feed/", "/author/jane-doe/feed/"):
        assert titles(fetch(client, url, "rss20")) == ["Live"]


def test_a_scheduled_post_appears_at_its_time(client, clock):
    PostFactory(title="Already out", published_at=NOW - HOUR)
    PostFactory(title="Coming soon", published_at=NOW + HOUR)
    assert titles(fetch(client, "/feed/atom/", "atom10")) == ["Already out"]

    clock.move_to(NOW + HOUR + datetime.timedelta(seconds=1))
    assert titles(fetch(client, "/feed/atom/", "atom10")) == ["Coming soon", "Already out"]


@pytest.mark.parametrize("full_text", [True, False])
@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_a_protected_posts_body_and_image_never_reach_a_feed(client, full_text, suffix, version):
    set_full_text(full_text)
    PostFactory(
        title="Members only",
        password="open sesame",
        excerpt="A secret excerpt",
        body="The secret ingredient is love.\n\n![x](/media/secret.jpg)",
        featured_image=ImageFactory(),
    )
    response = client.get("/feed/" + suffix)
    (entry,) = parse_feed(response, version).entries
    assert entry.title == "Members only"
    assert entry.summary == "There is no excerpt because this is a protected post."
    assert "content" not in entry
    assert entry.enclosures == []
    body = response.content.decode()
    assert "secret" not in body.lower()


# Content: full text or summary, absolute URLs, enclosure


@pytest.fixture
def photo():
    return ImageFactory(size=(1000, 750), alt_text="Boats in a harbour")


@pytest.fixture
def illustrated(photo):
    return PostFactory(
        title="Harbour notes",
        excerpt="Boats & nets, in short.",
        body=(
            f"See [the archive](/category/marketing/) and [a footnote](#notes).\n\n"
            f"![{photo.alt_text}]({photo.url})\n\n"
            '<img src="pictures/relative.png" alt="Relative">\n\n'
            "[Elsewhere](https://example.org/page) or [mail](mailto:jane@example.com)."
        ),
        featured_image=photo,
    )


@pytest.fixture
def example_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "blog.example.com"]
    return {"HTTP_HOST": "blog.example.com", "secure": True}


CONTENT = {
    "rss20": "{http://purl.org/rss/1.0/modules/content/}encoded",
    "atom10": "{http://www.w3.org/2005/Atom}content",
}


def sent_contents(response, version):
    """The item bodies as sent (feedparser sanitises <picture> and srcset away)."""
    tree = ElementTree.fromstring(response.content)  # noqa: S314 - the app's own output
    return [parse_html(node.text) for node in tree.iter(CONTENT[version])]


@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_full_text_carries_the_body_with_absolute_links_and_images(
    client, illustrated, photo, example_host, suffix, version
):
    set_full_text(True)
    response = client.get("/feed/" + suffix, **example_host)
    (entry,) = parse_feed(response, version).entries
    article = "https://blog.example.com" + illustrated.get_absolute_url()
    assert entry.link == article
    assert entry.summary == "Boats &amp; nets, in short."  # the excerpt, as HTML
    assert "harbour" in entry.content[0].value
    (content,) = sent_contents(response, version)

    hrefs = [a["href"] for a in content.select("a")]
    assert hrefs == [
        "https://blog.example.com/category/marketing/",
        article + "#notes",
        "https://example.org/page",
        "mailto:jane@example.com",
    ]
    # The library image with the article's responsive markup, every candidate absolute.
    library_img = content.select_one(f'img[alt="{photo.alt_text}"]')
    assert library_img["src"] == "https://blog.example.com" + photo.url
    candidates = [
        c.split()[0]
        for node in content.select("picture source, picture img")
        for c in node["srcset"].split(",")
    ]
    assert len(candidates) > 2
    assert all(url.startswith("https://blog.example.com/media/images/") for url in candidates)
    assert content.select_one('img[alt="Relative"]')["src"] == article + "pictures/relative.png"


@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_summary_only_when_full_text_is_off(client, illustrated, suffix, version):
    set_full_text(False)
    response = client.get("/feed/" + suffix)
    (entry,) = parse_feed(response, version).entries
    assert entry.summary == "Boats &amp; nets, in short."
    assert "content" not in entry
    assert "footnote" not in response.content.decode()


def test_without_an_excerpt_the_summary_is_the_first_paragraph(client):
    set_full_text(False)
    PostFactory(body="First *paragraph* here.\n\nSecond paragraph.")
    (entry,) = fetch(client, "/feed/", "rss20").entries
    assert entry.summary == "First paragraph here."


@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_the_featured_image_is_the_enclosure(
    client, illustrated, photo, example_host, suffix, version
):
    (entry,) = fetch(client, "/feed/" + suffix, version, **example_host).entries
    (enclosure,) = entry.enclosures
    assert enclosure.href == "https://blog.example.com" + photo.url
    assert int(enclosure.length) == photo.file_size > 0
    assert enclosure.type == "image/jpeg"


def test_a_post_without_a_featured_image_has_no_enclosure(client):
    PostFactory()
    (entry,) = fetch(client, "/feed/", "rss20").entries
    assert entry.enclosures == []


def test_items_name_their_author_categories_and_tags(client, jane, categories):
    PostFactory(author=jane, categories=[categories[1]], tags=["apps"])
    for suffix, version in RSS_AND_ATOM:
        (entry,) = fetch(client, "/feed/" + suffix, version).entries
        assert entry.author == "Jane Doe"
        assert sorted(t.term for t in entry.tags) == ["SEO", "apps"]


def test_item_ids_survive_a_change_of_address(client):
    post = PostFactory(title="First title")
    before = fetch(client, "/feed/atom/", "atom10").entries[0].id
    post.slug = "a-new-address"
    post.save()
    (entry,) = fetch(client, "/feed/atom/", "atom10").entries
    assert entry.link.endswith("/a-new-address/")
    assert entry.id == before


# Dates


def test_dates_are_the_posts_own(client, clock):
    old = PostFactory(title="Old", published_at=NOW - 48 * HOUR)  # saved at NOW
    clock.move_to(NOW + HOUR)
    edited = PostFactory(title="Edited", published_at=NOW - 24 * HOUR)
    clock.move_to(NOW + 2 * HOUR)

    atom = fetch(client, "/feed/atom/", "atom10")
    entries = {e.title: e for e in atom.entries}
    assert as_datetime(entries["Old"].published_parsed) == old.published_at
    assert as_datetime(entries["Old"].updated_parsed) == NOW
    assert as_datetime(entries["Edited"].published_parsed) == edited.published_at
    assert as_datetime(entries["Edited"].updated_parsed) == NOW + HOUR
    assert as_datetime(atom.feed.updated_parsed) == NOW + HOUR

    rss = fetch(client, "/feed/", "rss20")
    assert as_datetime(rss.entries[0].published_parsed) == edited.published_at
    assert parsedate_to_datetime(rss.feed.updated) == NOW + HOUR


def test_a_scheduled_post_is_updated_when_it_appears(client, clock):
    PostFactory(title="Scheduled", published_at=NOW + HOUR)  # saved an hour before
    clock.move_to(NOW + 2 * HOUR)
    (entry,) = fetch(client, "/feed/atom/", "atom10").entries
    assert as_datetime(entry.published_parsed) == NOW + HOUR
    assert as_datetime(entry.updated_parsed) == NOW + HOUR


def as_datetime(struct_time):
    return datetime.datetime(*struct_time[:6], tzinfo=datetime.UTC)


# Conditional GET


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/", "/category/marketing/feed/", "/tag/apps/feed/atom/"]
)
def test_a_reader_with_the_feeds_validators_gets_304(client, categories, url):
    PostFactory(categories=[categories[0]], tags=["apps"], published_at=NOW - 2 * HOUR)
    first = client.get(url)
    assert first.status_code == 200
    assert first["Last-Modified"] == http_date(NOW.timestamp())  # the post was saved at NOW

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304


def test_a_scheduled_post_going_live_is_never_hidden_behind_a_304(client, clock):
    PostFactory(title="Already out", published_at=NOW - 2 * HOUR)
    PostFactory(title="Coming soon", published_at=NOW + HOUR)
    clock.move_to(NOW + 30 * datetime.timedelta(minutes=1))
    first = client.get("/feed/")
    validators = {
        "HTTP_IF_NONE_MATCH": first["ETag"],
        "HTTP_IF_MODIFIED_SINCE": first["Last-Modified"],
    }
    assert client.get("/feed/", **validators).status_code == 304

    clock.move_to(NOW + HOUR + datetime.timedelta(seconds=1))
    for conditional in (
        validators,
        {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]},
        {"HTTP_IF_NONE_MATCH": first["ETag"]},
    ):
        response = client.get("/feed/", **conditional)
        assert titles(parse_feed(response, "rss20")) == ["Coming soon", "Already out"]
    assert response["Last-Modified"] == http_date((NOW + HOUR).timestamp())


def test_editing_an_old_post_beyond_the_last_item_changes_last_modified(client, clock):
    posts = [PostFactory(published_at=NOW - n * HOUR) for n in range(1, 13)]
    first = client.get("/feed/")
    clock.move_to(NOW + HOUR)
    oldest = posts[-1]
    oldest.title = "Retitled"
    oldest.save()
    response = client.get("/feed/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert response["Last-Modified"] == http_date((NOW + HOUR).timestamp())


def test_unpublishing_a_post_changes_the_etag(client):
    posts = [PostFactory(published_at=NOW - n * HOUR) for n in range(1, 4)]
    first = client.get("/feed/")
    Post.objects.filter(pk=posts[-1].pk).update(status=Post.Status.DRAFT)
    response = client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert len(parse_feed(response, "rss20").entries) == 2


def test_switching_full_text_changes_the_etag(client, illustrated):
    set_full_text(True)
    first = client.get("/feed/")
    set_full_text(False)
    response = client.get("/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert "content" not in parse_feed(response, "rss20").entries[0]


# Autodiscovery


def alternates(response):
    return {
        (link["type"], link["href"])
        for link in page(response).select('head link[rel="alternate"]')
        if "xml" in link["type"]
    }


SITE_FEEDS = {
    ("application/rss+xml", "/feed/"),
    ("application/atom+xml", "/feed/atom/"),
    ("application/rss+xml", "/comments/feed/"),
}


def test_every_page_links_the_site_feeds(client):
    post = PostFactory()
    for url in ("/", post.get_absolute_url(), "/no-such-page/"):
        assert alternates(client.get(url)) >= SITE_FEEDS, url


def test_archives_link_their_own_feeds_which_answer(client, jane, categories):
    PostFactory(author=jane, categories=[categories[1]], tags=["apps"])
    archives = {
        "/category/marketing/seo/": "/category/marketing/seo/feed/",
        "/tag/apps/": "/tag/apps/feed/",
        "/author/jane-doe/": "/author/jane-doe/feed/",
    }
    for archive, feed in archives.items():
        links = alternates(client.get(archive))
        own = {
            ("application/rss+xml", feed),
            ("application/atom+xml", feed + "atom/"),
        }
        assert links == SITE_FEEDS | own, archive
        for _type, href in own:
            assert client.get(href).status_code == 200


def test_an_article_links_its_comments_feed(client):
    post = PostFactory()
    CommentFactory(post=post)
    links = alternates(client.get(post.get_absolute_url()))
    assert links == SITE_FEEDS | {("application/rss+xml", post.get_absolute_url() + "feed/")}
    fetch(client, post.get_absolute_url() + "feed/", "rss20")


def test_a_protected_article_links_no_comments_feed(client):
    post = PostFactory(password="open sesame")
    assert alternates(client.get(post.get_absolute_url())) == SITE_FEEDS


# Queries


def make_posts(count, author, categories, photo):
    marketing, seo, local = categories
    body = f"Some text.\n\n![{photo.alt_text}]({photo.url})\n\nMore text."
    for n in range(count):
        PostFactory(
            author=author if n % 2 == 0 else UserFactory(),
            published_at=NOW - datetime.timedelta(minutes=n + 1),
            categories=[seo, local, marketing][: 1 + n % 3],
            tags=["apps", f"tag-{n}"],
            body=body,
            featured_image=photo if n % 2 else None,
            password="secret" if n == 3 else "",
        )


FEED_QUERIES = {
    "/feed/": query_counts.FEED,
    "/feed/atom/": query_counts.FEED,
    "/category/marketing/feed/": query_counts.CATEGORY_FEED,
    "/category/marketing/seo/feed/atom/": query_counts.CATEGORY_FEED,
    "/tag/apps/feed/": query_counts.ARCHIVE_FEED,
    "/author/jane-doe/feed/atom/": query_counts.ARCHIVE_FEED,
}


@pytest.fixture(scope="class")
def feed_posts(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """
    Full text on, and ``make_posts(request.param)`` by jane and others with the
    photo, at the module's clock: built once for every test of the class that
    asks for that many (each test's own changes are rolled back after it,
    these when the class is done). Gives the number of posts.
    """

    def build():
        author = UserFactory(username="jane", display_name="Jane Doe")
        categories = category_tree()
        photo = ImageFactory(size=(1000, 750), alt_text="Boats in a harbour")
        set_full_text(True)
        make_posts(request.param, author, categories, photo)
        return request.param

    yield from keep_rows(
        django_db_blocker, tmp_path_factory, build, time_machine.travel(NOW, tick=False)
    )


class TestFeedQueries:
    @pytest.mark.parametrize("feed_posts", [10, 100], indirect=True)
    @pytest.mark.parametrize("url", list(FEED_QUERIES))
    def test_feed_queries_do_not_grow_with_posts(
        self, client, django_assert_num_queries, feed_posts, url
    ):
        count = feed_posts
        with django_assert_num_queries(FEED_QUERIES[url]):
            response = client.get(url)
        entries = parse_feed(response, "atom10" if "atom" in url else "rss20").entries
        assert len(entries) == (min(10, count // 2) if "author" in url else 10)
