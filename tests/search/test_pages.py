"""The search page itself: the header form, messages, pagination, WordPress's ?s= address."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import PostFactory
from tests.helpers import one, page, text_of

from .conftest import found_titles

pytestmark = pytest.mark.django_db


def header_form(response):
    return one(page(response), "header.site-header form[role=search]")


def test_wordpress_search_address_redirects(client):
    response = client.get("/", {"s": "crash & burn"})

    assert response.status_code == 302
    assert response["Location"] == "/search/?q=crash+%26+burn"


@pytest.mark.parametrize("where", ["home", "article"])
def test_every_page_has_the_header_search_form(client, where):
    post = PostFactory()
    response = client.get("/" if where == "home" else post.get_absolute_url())

    form = header_form(response)
    assert form.attrs["action"] == "/search/"
    assert form.attrs.get("method", "get").lower() == "get"
    field = one(form, "input[name=q]")
    label = one(form, f"label[for={field.attrs['id']}]")
    assert text_of(label)
    assert field.attrs["value"] == ""


def test_header_form_keeps_the_query(search):
    response = search("walrus tusks")

    assert one(header_form(response), "input[name=q]").attrs["value"] == "walrus tusks"


def test_bare_search_page_shows_the_form_without_complaint(client):
    response = client.get("/search/")

    assert response.status_code == 200
    tree = page(response)
    assert text_of(one(tree, "h1")) == "Search"
    assert one(tree, "main form[role=search] input[name=q]").attrs["value"] == ""
    assert tree.select(".field-error") == []


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_query_asks_for_words_and_keeps_the_box(search, text):
    PostFactory(title="Walrus")

    response = search(text)

    assert response.status_code == 200
    tree = page(response)
    assert text_of(one(tree, ".field-error")) == "Enter a word or phrase to search for."
    field = one(tree, "main input[name=q]")
    assert field.attrs["aria-invalid"] == "true"
    assert field.attrs["aria-describedby"] == one(tree, ".field-error").attrs["id"]
    assert tree.select(".search-result") == []


def test_too_long_query_is_refused_with_the_limit_and_keeps_the_text(search):
    PostFactory(title="Walrus")
    text = "walrus " * 40  # 280 characters

    response = search(text)

    assert response.status_code == 400
    tree = page(response)
    assert "limited to 200 characters" in text_of(one(tree, ".field-error"))
    assert one(tree, "main input[name=q]").attrs["value"] == text
    assert one(header_form(response), "input[name=q]").attrs["value"] == text
    assert tree.select(".search-result") == []


def test_query_of_exactly_the_limit_is_searched(search):
    PostFactory(title="Walrus")
    text = ("walrus " * 40)[:199] + "s"

    response = search(text)

    assert response.status_code == 200
    assert page(response).select(".field-error") == []


def test_query_is_escaped_in_the_page(search):
    response = search('<img src=x onerror="alert(1)">')

    assert response.status_code == 200
    assert page(response).select("main img") == []
    assert "&lt;img src=x" in response.text


def make_matches(count):
    start = timezone.now() - datetime.timedelta(hours=1)
    for n in range(1, count + 1):
        PostFactory(title=f"Walrus {n}", published_at=start - datetime.timedelta(minutes=n))


def test_results_paginate_keeping_the_query(client, search):
    make_matches(12)

    first = search("walrus")
    assert len(found_titles(first)) == 10
    assert text_of(one(page(first), ".search-count")) == "12 results"
    next_link = one(page(first), "nav.pagination a[rel=next]").attrs["href"]
    assert next_link == "/search/page/2/?q=walrus"

    second = client.get(next_link)
    assert second.status_code == 200
    assert found_titles(second) == ["Walrus 11", "Walrus 12"]
    assert one(page(second), "nav.pagination a[rel=prev]").attrs["href"] == "/search/?q=walrus"
    assert one(page(second), 'meta[name="robots"]').attrs["content"] == "noindex"


def test_page_past_the_end_is_not_found(client):
    make_matches(3)

    assert client.get("/search/page/2/", {"q": "walrus"}).status_code == 404


def test_page_one_redirects_to_the_plain_address(client):
    response = client.get("/search/page/1/", {"q": "walrus tusk"})

    assert response.status_code == 301
    assert response["Location"] == "/search/?q=walrus+tusk"
