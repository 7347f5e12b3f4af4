"""The home page and archives: lists of ten, pages at ``<list>/page/N/``, archive headers."""

import datetime
import importlib

import pytest
from django.urls import clear_url_caches
from django.utils import timezone

import blog.urls
from tests.factories import CategoryFactory, PostFactory, UserFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db


def make_posts(count, **fields):
    """``count`` published posts, newest first by title number: "Post 1" is the newest."""
    start = timezone.now() - datetime.timedelta(hours=1)
    return [
        PostFactory(title=f"Post {n}", published_at=start - datetime.timedelta(hours=n), **fields)
        for n in range(1, count + 1)
    ]


def listed_titles(response):
    return [text_of(h) for h in page(response).select("h2.entry-title")]


def link_rel(response, rel):
    """The ``href`` of ``<link rel=...>`` in the head and of ``<a rel=...>`` in the pager."""
    tree = page(response)
    head = [node.attrs["href"] for node in tree.select("link") if node.attrs.get("rel") == rel]
    pager = [node.attrs["href"] for node in tree.select("a") if node.attrs.get("rel") == rel]
    return head, pager


# Home


def test_home_lists_ten_newest_posts(client):
    make_posts(11)

    response = client.get("/")

    assert response.status_code == 200
    assert listed_titles(response) == [f"Post {n}" for n in range(1, 11)]


def test_home_page_two_lists_the_rest(client):
    make_posts(11)

    response = client.get("/page/2/")

    assert response.status_code == 200
    assert listed_titles(response) == ["Post 11"]


def test_home_page_past_the_end_is_404(client):
    make_posts(11)

    response = client.get("/page/3/")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_home_page_zero_redirects_permanently_to_home(client):
    make_posts(1)

    response = client.get("/page/0/")

    assert response.status_code == 301
    assert response["Location"] == "/"


def test_home_page_one_redirects_permanently_to_home(client):
    make_posts(11)

    response = client.get("/page/1/")

    assert response.status_code == 301
    assert response["Location"] == "/"


def test_home_first_page_links_only_to_the_next(client):
    make_posts(21)

    assert link_rel(client.get("/"), "next") == (["/page/2/"], ["/page/2/"])
    assert link_rel(client.get("/"), "prev") == ([], [])


def test_home_middle_page_links_both_ways(client):
    make_posts(21)

    response = client.get("/page/2/")

    assert link_rel(response, "prev") == (["/"], ["/"])
    assert link_rel(response, "next") == (["/page/3/"], ["/page/3/"])


def test_home_last_page_links_only_to_the_previous(client):
    make_posts(21)

    response = client.get("/page/3/")

    assert link_rel(response, "prev") == (["/page/2/"], ["/page/2/"])
    assert link_rel(response, "next") == ([], [])


def test_home_with_ten_posts_has_no_pager(client):
    make_posts(10)

    response = client.get("/")

    assert page(response).select("nav.pagination") == []
    assert link_rel(response, "next") == ([], [])


def test_home_pager_numbers_every_page_and_marks_the_current(client):
    make_posts(21)

    pager = one(page(client.get("/page/2/")), "nav.pagination")

    numbers = one(pager, "ul")
    assert [text_of(li) for li in numbers.select("li")] == ["1", "2", "3"]
    assert [a.attrs["href"] for a in numbers.select("a")] == ["/", "/page/3/"]
    assert one(numbers, "span").attrs["aria-current"] == "page"
    assert text_of(one(numbers, "span")) == "2"


def test_empty_home_says_nothing_is_published(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "Nothing has been published here yet." in response.text


# Category archives


@pytest.fixture
def seo():
    marketing = CategoryFactory(name="Marketing", slug="marketing", description="All of it.")
    return CategoryFactory(
        name="SEO", slug="seo", parent=marketing, description="Search engines, mostly."
    )


def test_category_archive_lists_only_its_posts(client):
    apps = CategoryFactory(name="Apps", slug="apps")
    PostFactory(title="About apps", categories=[apps])
    PostFactory(title="About nothing")

    response = client.get("/category/apps/")

    assert response.status_code == 200
    assert listed_titles(response) == ["About apps"]


def test_child_category_archive_lives_at_its_full_path(client, seo):
    PostFactory(title="Ranking", categories=[seo])

    response = client.get("/category/marketing/seo/")

    assert response.status_code == 200
    assert listed_titles(response) == ["Ranking"]
    assert seo.get_absolute_url() == "/category/marketing/seo/"


def test_parent_category_archive_does_not_list_child_posts_twice(client, seo):
    PostFactory(title="Ranking", categories=[seo, seo.parent])

    assert listed_titles(client.get("/category/marketing/")) == ["Ranking"]


@pytest.mark.parametrize("wrong_path", ["seo", "other/seo", "marketing/other/seo"])
def test_category_at_a_wrong_path_redirects_permanently_to_the_right_one(client, seo, wrong_path):
    response = client.get(f"/category/{wrong_path}/")

    assert response.status_code == 301
    assert response["Location"] == "/category/marketing/seo/"


def test_category_archive_is_paginated(client, seo):
    make_posts(11, categories=[seo])

    first = client.get("/category/marketing/seo/")
    second = client.get("/category/marketing/seo/page/2/")

    assert len(listed_titles(first)) == 10
    assert listed_titles(second) == ["Post 11"]
    assert link_rel(first, "next") == (
        ["/category/marketing/seo/page/2/"],
        ["/category/marketing/seo/page/2/"],
    )
    assert link_rel(second, "prev") == (["/category/marketing/seo/"], ["/category/marketing/seo/"])


def test_category_archive_page_one_redirects_to_the_archive(client, seo):
    make_posts(11, categories=[seo])

    response = client.get("/category/marketing/seo/page/1/")

    assert response.status_code == 301
    assert response["Location"] == "/category/marketing/seo/"


def test_category_archive_page_past_the_end_is_404(client, seo):
    make_posts(3, categories=[seo])

    assert client.get("/category/marketing/seo/page/2/").status_code == 404


def test_category_archive_shows_name_description_and_breadcrumbs(client, seo):
    PostFactory(categories=[seo])

    tree = page(client.get("/category/marketing/seo/"))

    header = one(tree, "header.archive-header")
    assert text_of(one(header, "h1")) == "Category: SEO"
    assert text_of(one(header, "p.archive-description")) == "Search engines, mostly."
    crumbs = one(header, "nav.breadcrumbs")
    assert [text_of(li) for li in crumbs.select("li")] == ["Marketing", "SEO"]
    assert [a.attrs["href"] for a in crumbs.select("a")] == ["/category/marketing/"]


def test_top_level_category_archive_has_no_breadcrumbs(client, seo):
    PostFactory(categories=[seo.parent])

    tree = page(client.get("/category/marketing/"))

    assert tree.select("nav.breadcrumbs") == []
    assert text_of(one(tree, "p.archive-description")) == "All of it."


def test_unknown_category_is_404(client):
    response = client.get("/category/nope/")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_empty_category_archive_answers_200(client, seo):
    response = client.get("/category/marketing/seo/")

    assert response.status_code == 200
    assert "Nothing has been published here yet." in response.text


# Tag archives


def test_tag_archive_lists_only_tagged_posts(client):
    PostFactory(title="Tagged", tags=["whatsapp"])
    PostFactory(title="Untagged", tags=["other"])

    response = client.get("/tag/whatsapp/")

    assert response.status_code == 200
    assert listed_titles(response) == ["Tagged"]
    assert text_of(one(page(response), "h1.archive-title")) == "Tag: whatsapp"


def test_tag_archive_is_paginated(client):
    make_posts(11, tags=["apps"])

    first = client.get("/tag/apps/")
    second = client.get("/tag/apps/page/2/")

    assert len(listed_titles(first)) == 10
    assert listed_titles(second) == ["Post 11"]
    assert link_rel(first, "next")[0] == ["/tag/apps/page/2/"]
    assert link_rel(second, "prev")[0] == ["/tag/apps/"]
    assert client.get("/tag/apps/page/3/").status_code == 404
    assert client.get("/tag/apps/page/1/")["Location"] == "/tag/apps/"


def test_unknown_tag_is_404(client):
    response = client.get("/tag/nope/")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_article_tags_link_to_their_archives(client):
    post = PostFactory(tags=["WhatsApp", "Outages"])

    tags = one(page(client.get(post.get_absolute_url())), "p.tags")

    links = {text_of(a): a.attrs["href"] for a in tags.select("a")}
    assert links == {"WhatsApp": "/tag/whatsapp/", "Outages": "/tag/outages/"}
    for href in links.values():
        assert client.get(href).status_code == 200


def test_article_without_tags_has_no_tag_line(client):
    post = PostFactory()

    assert page(client.get(post.get_absolute_url())).select("p.tags") == []


# Author archives


def test_author_archive_lists_only_their_posts(client):
    jane = UserFactory(username="jane", display_name="Jane Doe")
    PostFactory(title="By Jane", author=jane)
    PostFactory(title="By someone else")

    response = client.get("/author/jane-doe/")

    assert response.status_code == 200
    assert listed_titles(response) == ["By Jane"]


def test_author_archive_shows_display_name_and_bio(client):
    jane = UserFactory(username="jane", display_name="Jane Doe", bio="Writes about apps.")
    PostFactory(author=jane)

    header = one(page(client.get("/author/jane-doe/")), "header.archive-header")

    assert text_of(one(header, "h1")) == "Author: Jane Doe"
    assert text_of(one(header, "p.archive-description")) == "Writes about apps."


def test_author_archive_falls_back_to_username_without_bio(client):
    jane = UserFactory(username="jane")
    PostFactory(author=jane)

    header = one(page(client.get(jane.get_absolute_url())), "header.archive-header")

    assert text_of(one(header, "h1")) == "Author: jane"
    assert header.select("p.archive-description") == []


def test_author_archive_is_paginated(client):
    jane = UserFactory(username="jane", display_name="Jane Doe")
    make_posts(11, author=jane)

    first = client.get("/author/jane-doe/")
    second = client.get("/author/jane-doe/page/2/")

    assert len(listed_titles(first)) == 10
    assert listed_titles(second) == ["Post 11"]
    assert link_rel(first, "next")[0] == ["/author/jane-doe/page/2/"]
    assert client.get("/author/jane-doe/page/3/").status_code == 404
    assert client.get("/author/jane-doe/page/1/")["Location"] == "/author/jane-doe/"


def test_unknown_author_is_404(client):
    response = client.get("/author/nobody/")

    assert response.status_code == 404
    assert "Page not found" in response.text


def test_favicon_ico_redirects_to_the_site_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


@pytest.fixture
def debug_urlconf(settings):
    """blog.urls as `make run` builds it, with DEBUG on (it also serves /media/)."""
    settings.DEBUG = True
    module = importlib.reload(blog.urls)
    clear_url_caches()
    yield module
    settings.DEBUG = False
    importlib.reload(blog.urls)
    clear_url_caches()


def test_favicon_ico_redirects_in_development_too(client, debug_urlconf):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
