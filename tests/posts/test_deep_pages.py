"""Long lists: deep pages read ids first and show the same posts; page links are elided."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.sitesettings.models import SiteSettings
from tests.factories import CategoryFactory, PostFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

START = datetime.datetime(2020, 1, 1, 12, tzinfo=datetime.UTC)


def per_page(n):
    settings = SiteSettings.current()
    settings.posts_per_page = n
    settings.save()


def titles(response):
    return [text_of(node) for node in page(response).select(".post-summary .entry-title")]


@pytest.fixture
def filed_twice():
    """Twelve posts, newest first "Post 0"…, each in a category and its child."""
    news = CategoryFactory(name="News", slug="news")
    tech = CategoryFactory(name="Tech", slug="tech", parent=news)
    other = CategoryFactory(name="Other", slug="other")
    for n in range(12):
        PostFactory(
            title=f"Post {n}",
            published_at=START - datetime.timedelta(hours=n),
            categories=[news, tech] if n % 2 else [tech],
        )
        PostFactory(title=f"Elsewhere {n}", published_at=START, categories=[other])


def test_every_page_of_a_category_shows_its_posts_once_in_order(client, filed_twice):
    per_page(5)

    shown = [title for n in (1, 2, 3) for title in titles(client.get(page_url("news", n)))]

    assert shown == [f"Post {n}" for n in range(12)]
    assert client.get(page_url("news", 4)).status_code == 404


def test_a_deep_page_costs_the_queries_of_the_first(client, filed_twice):
    per_page(2)
    client.get(page_url("news", 1))  # site settings and the like read once

    counts = []
    for number in (1, 6):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page_url("news", number))
        assert response.status_code == 200
        counts.append(len(queries))

    assert titles(response) == ["Post 10", "Post 11"]
    assert counts[0] == counts[1]


def page_url(slug, number):
    return f"/category/{slug}/" if number == 1 else f"/category/{slug}/page/{number}/"


def test_a_long_list_links_to_the_pages_around_and_at_both_ends(client):
    per_page(1)
    for n in range(30):
        PostFactory(title=f"Post {n}", published_at=START - datetime.timedelta(hours=n))

    html = page(client.get("/page/15/"))

    pagination = one(html, "nav.pagination")
    items = [text_of(li) for li in pagination.select("li")]
    assert items == ["1", "2", "…", *map(str, range(12, 19)), "…", "29", "30"]
    links = {text_of(a): a["href"] for a in pagination.select("li a")}
    assert links["2"] == "/page/2/" and links["30"] == "/page/30/"
    assert "…" not in links
    assert text_of(one(pagination, "[aria-current=page]")) == "15"
    assert titles(client.get(links["30"])) == ["Post 29"]


def test_a_list_of_ten_pages_links_every_page(client):
    per_page(1)
    for n in range(10):
        PostFactory(title=f"Post {n}", published_at=START - datetime.timedelta(hours=n))

    pagination = one(page(client.get("/page/5/")), "nav.pagination")

    assert [text_of(li) for li in pagination.select("li")] == [str(n) for n in range(1, 11)]
