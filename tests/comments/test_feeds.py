"""Comment feeds, site-wide at /comments/feed/ and per post at <permalink>feed/."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from blog.comments.models import Comment
from blog.posts.models import Post
from tests import query_counts
from tests.factories import CommentFactory, PostFactory
from tests.feed_helpers import RSS_AND_ATOM, parse_feed, titles
from tests.helpers import parse as parse_html
from tests.shared_rows import keep_rows

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2014, 2, 22, 12, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def comment_at(minutes_ago, **kwargs):
    return CommentFactory(created_at=NOW - minutes_ago * MINUTE, **kwargs)


@pytest.fixture
def post():
    return PostFactory(title="Hello world", published_at=NOW - datetime.timedelta(days=1))


@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_the_site_comments_feed_shows_only_comments_readers_can_see(client, post, suffix, version):
    closed = PostFactory(title="Closed post", comment_mode=Post.CommentMode.CLOSED)
    comment_at(1, post=post, name="Ann")
    comment_at(2, post=closed, name="Bob")  # closed posts keep their comments visible
    for status in ("pending", "spam", "trash"):
        comment_at(3, post=post, name=f"A {status} reader", status=status)
    hidden_from_readers = [
        PostFactory(status=Post.Status.DRAFT),
        PostFactory(published_at=NOW + datetime.timedelta(hours=1)),
        PostFactory(password="open sesame"),
        PostFactory(comment_mode=Post.CommentMode.HIDDEN),
    ]
    for other in hidden_from_readers:
        comment_at(4, post=other, name="Nobody should see this")

    feed = parse_feed(client.get("/comments/feed/" + suffix), version)
    assert feed.feed.title == "Comments for Online Marketing Journal"
    assert titles(feed) == ["Comment on Hello world by Ann", "Comment on Closed post by Bob"]


@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_a_posts_comments_feed_has_that_posts_comments(client, post, suffix, version):
    first = comment_at(2, post=post, name="Ann")
    second = comment_at(1, post=post, name="Bob", parent=first)
    comment_at(1, post=post, name="Pending", status=Comment.Status.PENDING)
    comment_at(1, name="Elsewhere")

    url = post.get_absolute_url() + "feed/" + suffix
    feed = parse_feed(client.get(url), version)
    assert feed.feed.title == "Comments on: Hello world"
    assert feed.feed.link == "http://testserver" + post.get_absolute_url()
    assert titles(feed) == ["Comment on Hello world by Bob", "Comment on Hello world by Ann"]
    assert [e.link for e in feed.entries] == [
        f"http://testserver/comments/{c.pk}/" for c in (second, first)
    ]


@pytest.mark.parametrize(("suffix", "version"), RSS_AND_ATOM)
def test_items_carry_the_comment_as_the_article_renders_it(client, post, suffix, version):
    comment = comment_at(
        1,
        post=post,
        name="Ann",
        body='See <a href="/about/">about</a> and https://example.org\n\n<script>x()</script>Hi',
    )
    response = client.get("/comments/feed/" + suffix)
    (entry,) = parse_feed(response, version).entries
    assert entry.author == "Ann"
    assert as_datetime(entry.published_parsed) == comment.created_at
    body = parse_html(entry.summary)
    links = [(a["href"], a.get("rel")) for a in body.select("a")]
    assert links == [
        ("http://testserver/about/", "nofollow ugc"),
        ("https://example.org", "nofollow ugc"),
    ]
    assert "x()" not in response.content.decode()
    assert "email" not in entry  # never the commenter's address
    assert comment.email not in response.content.decode()


def as_datetime(struct_time):
    return datetime.datetime(*struct_time[:6], tzinfo=datetime.UTC)


def test_only_the_latest_ten_comments(client, post):
    comments = [comment_at(n, post=post) for n in range(1, 13)]
    feed = parse_feed(client.get("/comments/feed/"), "rss20")
    assert titles(feed) == [f"Comment on Hello world by {c.name}" for c in comments[:10]]


@pytest.mark.parametrize(
    "make",
    [
        lambda: PostFactory(status=Post.Status.DRAFT),
        lambda: PostFactory(published_at=NOW + datetime.timedelta(hours=1)),
        lambda: PostFactory(password="open sesame"),
        lambda: PostFactory(comment_mode=Post.CommentMode.HIDDEN),
    ],
    ids=["draft", "scheduled", "protected", "hidden-comments"],
)
def test_no_comments_feed_for_posts_readers_cannot_see_comments_of(client, make):
    hidden = make()
    CommentFactory(post=hidden)
    day = timezone.localdate(hidden.published_at or hidden.created_at)
    url = f"/{day:%Y/%m/%d}/{hidden.slug}/feed/"
    assert client.get(url).status_code == 404
    assert client.get(url + "atom/").status_code == 404


def test_unknown_posts_have_no_comments_feed(client):
    assert client.get("/2014/02/22/no-such-post/feed/").status_code == 404


def test_a_comments_feed_at_a_wrong_date_moves_to_the_right_one(client, post):
    response = client.get(f"/2001/01/01/{post.slug}/feed/atom/")
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url() + "feed/atom/"


# Conditional GET


@pytest.mark.parametrize("url", ["/comments/feed/", "/comments/feed/atom/"])
def test_a_reader_with_the_feeds_validators_gets_304(client, post, url):
    comment_at(5, post=post)
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_approving_a_comment_answers_the_same_conditional_request_with_it(client, post, clock):
    comment_at(5, post=post, name="Ann")
    waiting = comment_at(3, post=post, name="Bob", status=Comment.Status.PENDING)
    url = post.get_absolute_url() + "feed/"
    first = client.get(url)
    validators = {
        "HTTP_IF_NONE_MATCH": first["ETag"],
        "HTTP_IF_MODIFIED_SINCE": first["Last-Modified"],
    }
    assert client.get(url, **validators).status_code == 304

    clock.move_to(NOW + MINUTE)
    waiting.status = Comment.Status.APPROVED
    waiting.status_changed_at = timezone.now()
    waiting.save()
    for conditional in (validators, {"HTTP_IF_MODIFIED_SINCE": first["Last-Modified"]}):
        response = client.get(url, **conditional)
        assert titles(parse_feed(response, "rss20")) == [
            "Comment on Hello world by Bob",
            "Comment on Hello world by Ann",
        ]


def test_removing_a_comment_changes_the_etag(client, post):
    comment_at(5, post=post, name="Ann")
    spam = comment_at(3, post=post, name="Bob")
    first = client.get("/comments/feed/")
    Comment.objects.filter(pk=spam.pk).update(status=Comment.Status.SPAM)
    response = client.get("/comments/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert titles(parse_feed(response, "rss20")) == ["Comment on Hello world by Ann"]


# Queries


def make_comments(count, post):
    for n in range(count):
        target = post if n % 2 == 0 else PostFactory()
        comment_at(n + 1, post=target, body=f"Comment {n} with [a link](/about/).")
        comment_at(n + 1, post=target, status=Comment.Status.PENDING)


@pytest.fixture(scope="class")
def commented(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """
    The post, then ``make_comments(request.param, post)`` at the module's
    clock: built once for every test of the class that asks for that many
    (each test's own changes are rolled back after it, these when the class
    is done). Gives the post and the number.
    """

    def build():
        post = PostFactory(title="Hello world", published_at=NOW - datetime.timedelta(days=1))
        make_comments(request.param, post)
        return post, request.param

    yield from keep_rows(
        django_db_blocker, tmp_path_factory, build, time_machine.travel(NOW, tick=False)
    )


class TestCommentFeedQueries:
    @pytest.mark.parametrize("commented", [10, 100], indirect=True)
    @pytest.mark.parametrize(
        ("url", "queries"),
        [
            ("/comments/feed/", query_counts.COMMENTS_FEED),
            ("/comments/feed/atom/", query_counts.COMMENTS_FEED),
            ("post", query_counts.POST_COMMENTS_FEED),
            ("post-atom", query_counts.POST_COMMENTS_FEED),
        ],
    )
    def test_comment_feed_queries_do_not_grow_with_comments(
        self, client, django_assert_num_queries, commented, url, queries
    ):
        post, count = commented
        if url.startswith("post"):
            url = post.get_absolute_url() + ("feed/atom/" if url.endswith("atom") else "feed/")
        with django_assert_num_queries(queries):
            response = client.get(url)
        entries = parse_feed(response, "atom10" if "atom" in url else "rss20").entries
        assert len(entries) == (min(10, count // 2) if "/comments/" not in url else 10)
