"""Who sees which post where: only published posts whose time has come reach readers."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from blog.posts.models import Post
from tests.factories import CategoryFactory, PostFactory, UserFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

# name -> (status, published_at relative to now); "scheduled" is published in the future.
HIDDEN_STATES = {
    "draft": (Post.Status.DRAFT, -1),
    "pending": (Post.Status.PENDING, -1),
    "private": (Post.Status.PRIVATE, -1),
    "trash": (Post.Status.TRASH, -1),
    "scheduled": (Post.Status.PUBLISHED, +1),
}


@pytest.fixture(params=list(HIDDEN_STATES))
def hidden_post(request):
    """A post readers must not see, in each of the states that hide it."""
    status, days = HIDDEN_STATES[request.param]
    return PostFactory(
        title="Hidden from readers",
        status=status,
        published_at=timezone.now() + datetime.timedelta(days=days),
        categories=[CategoryFactory(slug="news")],
        tags=["secret"],
    )


@pytest.fixture
def published_post():
    return PostFactory(
        title="Out in the open",
        categories=[CategoryFactory(slug="open")],
        tags=["public"],
    )


def editor():
    user = UserFactory(username="editor", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_post", "edit_others_posts"])
    )
    return user


def test_published_post_article_page_answers_200(client, published_post):
    response = client.get(published_post.get_absolute_url())

    assert response.status_code == 200
    assert "Out in the open" in response.text


def test_hidden_post_article_page_is_404_for_readers(client, hidden_post):
    response = client.get(hidden_post.get_absolute_url())

    assert response.status_code == 404
    assert "Hidden from readers" not in response.text


def test_hidden_post_is_not_on_the_home_page(client, hidden_post, published_post):
    response = client.get(reverse("posts:home"))

    assert "Out in the open" in response.text
    assert "Hidden from readers" not in response.text


def test_hidden_post_is_not_in_its_category_archive(client, hidden_post):
    published = PostFactory(title="Also in news", categories=hidden_post.categories.all())

    response = client.get(reverse("posts:category", kwargs={"path": "news"}))

    assert response.status_code == 200
    assert published.title in response.text
    assert "Hidden from readers" not in response.text


def test_hidden_post_is_not_in_its_tag_archive(client, hidden_post):
    PostFactory(title="Also secret", tags=["secret"])

    response = client.get(reverse("posts:tag", kwargs={"slug": "secret"}))

    assert response.status_code == 200
    assert "Also secret" in response.text
    assert "Hidden from readers" not in response.text


def test_hidden_post_is_not_in_its_author_archive(client, hidden_post):
    PostFactory(title="Same author, published", author=hidden_post.author)

    response = client.get(hidden_post.author.get_absolute_url())

    assert response.status_code == 200
    assert "Same author, published" in response.text
    assert "Hidden from readers" not in response.text


def test_hidden_post_is_not_in_recent_posts_or_category_counts(client, hidden_post):
    PostFactory(title="Counted", categories=hidden_post.categories.all())

    sidebar = one(page(client.get(reverse("posts:home"))), "aside.sidebar")

    assert "Counted" in text_of(sidebar)
    assert "Hidden from readers" not in text_of(sidebar)
    (news,) = sidebar.select("li.depth-0")
    assert one(news, "a").attrs["href"] == "/category/news/"
    assert text_of(one(news, "span.count")) == "(1)"


def test_scheduled_post_appears_when_its_time_comes_without_any_command(client):
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    post = PostFactory(title="Scheduled news", published_at=publish_at, tags=["later"])
    url = post.get_absolute_url()

    assert client.get(url).status_code == 404
    assert "Scheduled news" not in client.get(reverse("posts:home")).text

    with time_machine.travel(publish_at + datetime.timedelta(minutes=1), tick=False):
        assert client.get(url).status_code == 200
        assert "Scheduled news" in client.get(reverse("posts:home")).text
        assert "Scheduled news" in client.get(reverse("posts:tag", args=["later"])).text


def test_scheduled_post_is_hidden_one_minute_before_its_time(client):
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    post = PostFactory(published_at=publish_at)

    with time_machine.travel(publish_at - datetime.timedelta(minutes=1), tick=False):
        assert client.get(post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", [Post.Status.DRAFT, Post.Status.PENDING, Post.Status.PRIVATE])
def test_editor_may_open_an_unpublished_article_and_it_is_never_cached(client, status):
    post = PostFactory(title="Work in progress", status=status, published_at=None)
    client.force_login(editor())

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "Work in progress" in response.text
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "private", "max-age=0"):
        assert directive in cache_control


def test_editor_may_open_a_scheduled_article_and_it_is_never_cached(client, tomorrow):
    post = PostFactory(title="Coming soon", published_at=tomorrow)
    client.force_login(editor())

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_editor_view_of_a_published_article_is_not_marked_uncacheable(client, published_post):
    client.force_login(editor())

    response = client.get(published_post.get_absolute_url())

    assert response.status_code == 200
    assert "no-cache" not in response.get("Cache-Control", "")


def test_editor_cannot_open_a_trashed_article(client):
    post = PostFactory(status=Post.Status.TRASH)
    client.force_login(editor())

    assert client.get(post.get_absolute_url()).status_code == 404


def test_staff_without_change_permission_cannot_open_a_draft(client):
    post = PostFactory(status=Post.Status.DRAFT)
    client.force_login(UserFactory(is_staff=True))

    assert client.get(post.get_absolute_url()).status_code == 404


def test_logged_in_reader_cannot_open_a_draft(client):
    post = PostFactory(status=Post.Status.DRAFT)
    client.force_login(UserFactory())

    assert client.get(post.get_absolute_url()).status_code == 404


def test_drafts_stay_off_the_home_page_even_for_editors(client):
    PostFactory(title="Draft for later", status=Post.Status.DRAFT)
    client.force_login(editor())

    assert "Draft for later" not in client.get(reverse("posts:home")).text


def test_wrong_date_in_the_article_url_redirects_permanently_to_the_right_one(client):
    post = PostFactory(
        slug="whatsapp-crashes",
        published_at=datetime.datetime(2014, 2, 22, 10, 0, tzinfo=datetime.UTC),
    )

    response = client.get("/2013/01/05/whatsapp-crashes/")

    assert response.status_code == 301
    assert response["Location"] == "/2014/02/22/whatsapp-crashes/"
    assert post.get_absolute_url() == "/2014/02/22/whatsapp-crashes/"
    assert client.get(response["Location"]).status_code == 200


def test_unknown_slug_is_404_with_the_theme_page(client):
    response = client.get("/2014/02/22/no-such-post/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Go to the latest posts" in response.text


def test_hidden_post_404_uses_the_theme_page(client):
    post = PostFactory(status=Post.Status.DRAFT)

    response = client.get(post.get_absolute_url())

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_scheduled_post_goes_live_to_the_second_on_every_reader_page(client):
    publish_at = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    author = UserFactory(username="sched")
    category = CategoryFactory(name="Launches", slug="launches")
    post = PostFactory(
        title="On the stroke",
        author=author,
        published_at=publish_at,
        categories=[category],
        tags=["launch"],
    )
    pages = [
        reverse("posts:home"),
        category.get_absolute_url(),
        reverse("posts:tag", args=["launch"]),
        author.get_absolute_url(),
    ]

    def listed(url):
        return [text_of(a) for a in page(client.get(url)).select(".post-summary .entry-title a")]

    with time_machine.travel(publish_at - datetime.timedelta(seconds=1), tick=False):
        assert client.get(post.get_absolute_url()).status_code == 404
        for url in pages:
            assert "On the stroke" not in listed(url), url

    # Nothing runs in between: the same rows, read a second later.
    with time_machine.travel(publish_at, tick=False):
        assert client.get(post.get_absolute_url()).status_code == 200
        for url in pages:
            assert listed(url) == ["On the stroke"], url
