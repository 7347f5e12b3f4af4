"""The search page reads a fixed number of queries however many posts match."""

import datetime

import pytest
from django.utils import timezone

from blog.comments.models import Comment
from tests import query_counts
from tests.factories import CategoryFactory, CommentFactory, PostFactory, UserFactory
from tests.shared_rows import keep_rows

pytestmark = pytest.mark.django_db

# As a list page: the match is joined into the paginator's count and into the
# page of posts (rank and snippet included), so search adds no query of its own.
SEARCH_QUERIES = query_counts.LIST
# A bare or empty search only draws the page.
EMPTY_SEARCH_QUERIES = query_counts.SITE_SETTINGS + query_counts.HEADER_MENU + query_counts.SIDEBAR


def make_matches(count):
    parent = CategoryFactory(name="News")
    child = CategoryFactory(name="Outages", parent=parent)
    authors = [UserFactory(display_name=f"Writer {n}") for n in range(3)]
    start = timezone.now() - datetime.timedelta(hours=1)
    for n in range(count):
        post = PostFactory(
            title=f"Crash report {n}" if n % 2 else f"Weekly notes {n}",
            body=f"The app crashed again, {n} times.",
            author=authors[n % 3],
            published_at=start - datetime.timedelta(minutes=n),
            categories=[child, parent][: 1 + n % 2],
            tags=["outage", f"tag-{n}"],
        )
        CommentFactory.create_batch(1 + n % 2, post=post)
        CommentFactory(post=post, status=Comment.Status.PENDING)
    PostFactory(title="Gardening", body="Roses.")


@pytest.fixture(scope="class")
def matches(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """
    ``make_matches(request.param)``, built once for every test of the class
    that asks for that many (each test's own changes are rolled back after
    it, these when the class is done). Gives the number of matches.
    """

    def build():
        make_matches(request.param)
        return request.param

    yield from keep_rows(django_db_blocker, tmp_path_factory, build)


class TestResultPages:
    @pytest.mark.parametrize("matches", [10, 100], indirect=True)
    def test_search_queries_do_not_grow_with_matches(
        self, client, django_assert_num_queries, matches
    ):
        with django_assert_num_queries(SEARCH_QUERIES):
            response = client.get("/search/", {"q": "crash"})

        assert response.status_code == 200
        assert response.text.count('class="post-summary search-result"') == 10
        assert f"{matches} results" in response.text

    @pytest.mark.parametrize("matches", [20, 100], indirect=True)
    def test_second_page_queries_do_not_grow_with_matches(
        self, client, django_assert_num_queries, matches
    ):
        with django_assert_num_queries(SEARCH_QUERIES):
            response = client.get("/search/page/2/", {"q": "crash"})

        assert response.status_code == 200
        assert response.text.count('class="post-summary search-result"') == 10


class TestNoQuery:
    @pytest.fixture(scope="class")
    def matches(self, django_db_setup, django_db_blocker, tmp_path_factory):
        """``make_matches(10)``, once for the class."""
        yield from keep_rows(django_db_blocker, tmp_path_factory, lambda: make_matches(10))

    @pytest.mark.parametrize("q", [None, "", "x" * 201])
    def test_search_without_a_query_reads_no_posts(
        self, client, django_assert_num_queries, matches, q
    ):
        with django_assert_num_queries(EMPTY_SEARCH_QUERIES):
            response = client.get("/search/", {} if q is None else {"q": q})

        assert response.status_code in (200, 400)
