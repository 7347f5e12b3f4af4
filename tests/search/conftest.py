import pytest

from tests.helpers import page, text_of


@pytest.fixture
def search(client):
    """GET /search/?q=<text>; the response."""

    def get(text, **extra):
        return client.get("/search/", {"q": text, **extra})

    return get


def found_titles(response):
    """The titles of the results, in the order shown."""
    return [text_of(node) for node in page(response).select(".search-result .entry-title")]
