"""rebuild_search_index: for imports and bulk changes that send no signals."""

from io import StringIO

import pytest
from django.core.management import call_command

from blog.posts.models import Post
from tests.factories import PostFactory, UserFactory

from .conftest import found_titles

pytestmark = pytest.mark.django_db


def test_rebuild_indexes_posts_written_without_signals(search):
    author = UserFactory()
    Post.objects.bulk_create(
        [
            Post(title="Imported walrus", slug="w1", author=author, body="x", status="published",
                 published_at=PostFactory.published_at.function()),
            Post(title="Trashed walrus", slug="w2", author=author, body="x", status="trash"),
        ]
    )  # fmt: skip
    stale = PostFactory(title="Old title")
    Post.objects.filter(pk=stale.pk).update(title="Walrus renamed")
    assert found_titles(search("walrus")) == []

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert "Indexed 2 post(s)" in out.getvalue()
    assert sorted(found_titles(search("walrus"))) == ["Imported walrus", "Walrus renamed"]
    assert found_titles(search("old")) == []
