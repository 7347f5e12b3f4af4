"""
An article's neighbours and related posts are worked out once and kept in the
cache (blog/posts/neighbours.py) until a change reaches them: uncached
articles stay cheap and never show an out-of-date list.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from blog.posts.models import Post, PostQuerySet
from tests.factories import CategoryFactory, PostFactory
from tests.posts.test_article_extras import neighbours, related_titles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_cache")]


def ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def worked_out(monkeypatch):
    """How many times the neighbours and related posts were worked out from the database."""
    calls = []
    original = PostQuerySet.neighbours_and_related

    def counting(self, post, count):
        calls.append(post.pk)
        return original(self, post, count)

    monkeypatch.setattr(PostQuerySet, "neighbours_and_related", counting)
    return calls


def kept(client, url, worked_out):
    """View ``url`` until its neighbours and related posts are read from the cache."""
    client.get(url)
    client.get(url)
    worked_out.clear()
    client.get(url)
    assert worked_out == []


@pytest.fixture
def news():
    return CategoryFactory(name="News", slug="news")


@pytest.fixture
def article(news):
    PostFactory(title="Older news", categories=[news], tags=["apps"], published_at=ago(10))
    return PostFactory(
        title="WhatsApp crashes", categories=[news], tags=["apps"], published_at=ago(5)
    )


def test_worked_out_once_then_read_by_id(client, article, worked_out):
    url = article.get_absolute_url()
    # The first view also warms the shared fragments (the sidebar notes when the next
    # scheduled post is due, which the kept list needs to know).
    first = client.get(url)
    client.get(url)
    worked_out.clear()

    again = client.get(url)

    assert worked_out == []
    assert related_titles(again) == related_titles(first) == ["Older news"]
    assert neighbours(again) == neighbours(first) == {"Previous post": "Older news"}


def test_a_renamed_neighbour_shows_its_new_title(client, article, worked_out):
    kept(client, article.get_absolute_url(), worked_out)
    older = Post.objects.get(title="Older news")

    older.title = "Older news, revised"
    older.save()
    response = client.get(article.get_absolute_url())

    assert related_titles(response) == ["Older news, revised"]
    assert neighbours(response) == {"Previous post": "Older news, revised"}


def test_a_new_post_in_its_category_and_tag_is_listed_next_time(client, article, news, worked_out):
    kept(client, article.get_absolute_url(), worked_out)

    PostFactory(title="Newer news", categories=[news], tags=["apps"], published_at=ago(1))
    response = client.get(article.get_absolute_url())

    assert "Newer news" in related_titles(response)
    assert neighbours(response)["Next post"] == "Newer news"


def test_a_trashed_related_post_is_gone_next_time(client, article, worked_out):
    kept(client, article.get_absolute_url(), worked_out)

    Post.objects.get(title="Older news").trash()
    response = client.get(article.get_absolute_url())

    assert related_titles(response) == []
    assert neighbours(response) == {}


def test_a_scheduled_post_joins_at_its_time(client, article, news, worked_out):
    soon = timezone.now() + datetime.timedelta(hours=1)
    PostFactory(title="Scheduled news", categories=[news], tags=["apps"], published_at=soon)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        kept(client, article.get_absolute_url(), worked_out)
        assert "Scheduled news" not in related_titles(client.get(article.get_absolute_url()))
        clock.shift(datetime.timedelta(hours=1, seconds=1))
        response = client.get(article.get_absolute_url())

    assert "Scheduled news" in related_titles(response)
    assert neighbours(response)["Next post"] == "Scheduled news"
