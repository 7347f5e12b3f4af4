import pytest
from django.urls import reverse

from blog.posts.models import Post
from tests.factories import CategoryFactory, PostFactory

pytestmark = pytest.mark.django_db


def sidebar(client):
    html = client.get(reverse("posts:home")).text
    return html[html.index('<aside class="sidebar"') :]


def test_category_widget_counts_published_posts_and_nests_children(client):
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    seo = CategoryFactory(name="SEO", slug="seo", parent=marketing)
    PostFactory.create_batch(2, categories=[seo])
    PostFactory(categories=[seo], status=Post.Status.DRAFT)

    html = sidebar(client)

    assert '<li class="depth-0"><a href="/category/marketing/">Marketing</a>' in html
    assert '<li class="depth-1"><a href="/category/marketing/seo/">SEO</a>' in html
    assert 'SEO</a> <span class="count">(2)</span>' in html


def test_category_widget_hides_categories_with_nothing_published(client):
    CategoryFactory(name="Empty", slug="empty")
    CategoryFactory(name="Only drafts", slug="only-drafts")
    PostFactory(categories=[], status=Post.Status.DRAFT)
    PostFactory(categories=[CategoryFactory(name="Busy", slug="busy")])

    html = sidebar(client)

    assert "Busy" in html
    assert "Empty" not in html
    assert "Only drafts" not in html


def test_recent_posts_widget_lists_published_posts_only(client, tomorrow):
    PostFactory(title="Out already")
    PostFactory(title="Coming soon", published_at=tomorrow)

    html = sidebar(client)

    assert "Out already" in html
    assert "Coming soon" not in html


def test_category_at_a_wrong_path_keeps_its_page(client):
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    seo = CategoryFactory(name="SEO", slug="seo", parent=marketing)
    PostFactory.create_batch(11, categories=[seo])

    response = client.get("/category/seo/page/2/")

    assert response.status_code == 301
    assert response["Location"] == "/category/marketing/seo/page/2/"
