"""A page does a fixed number of queries however many comments, pages or ancestors it has."""

import pytest

from blog.pages.models import Page
from tests import query_counts
from tests.factories import CommentFactory, PageFactory

pytestmark = pytest.mark.django_db


def make_site(pages, comments):
    top = PageFactory(slug="about", comment_mode=Page.CommentMode.OPEN)
    parent = top
    for n in range(2):
        parent = PageFactory(slug=f"level-{n}", parent=parent, comment_mode=Page.CommentMode.OPEN)
    PageFactory.create_batch(pages)
    for page in (top, parent):
        first = CommentFactory(post=page)
        for n in range(comments - 1):
            CommentFactory(post=page, parent=first if n % 2 else None)
    return top, parent


@pytest.mark.parametrize(("pages", "comments"), [(5, 10), (50, 100)])
def test_page_queries_do_not_grow(client, django_assert_num_queries, pages, comments):
    top, deep = make_site(pages, comments)
    with django_assert_num_queries(query_counts.PAGE):
        assert client.get(top.get_absolute_url()).status_code == 200
    with django_assert_num_queries(query_counts.SUBPAGE):
        response = client.get(deep.get_absolute_url())
    assert response.status_code == 200
    assert deep.get_absolute_url() == "/about/level-0/level-1/"
    assert response.text.count('id="comment-') >= 10
