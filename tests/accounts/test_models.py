"""Authors are shown by display name, falling back to username, and have an archive."""

import pytest

from tests.factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_public_name_is_the_display_name_when_set():
    user = UserFactory(username="jdoe", display_name="Jane Doe")

    assert user.public_name == "Jane Doe"
    assert str(user) == "Jane Doe"


def test_public_name_falls_back_to_the_username():
    user = UserFactory(username="jdoe", display_name="")

    assert user.public_name == "jdoe"
    assert str(user) == "jdoe"


def test_author_url_is_the_author_archive_at_the_public_slug():
    user = UserFactory(username="jdoe", display_name="Jane Doe")

    assert user.get_absolute_url() == "/author/jane-doe/"


def test_author_url_answers_with_their_posts(client):
    author = UserFactory(username="jdoe", display_name="Jane Doe")
    PostFactory(title="Jane's post", author=author)

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assert "Author: Jane Doe" in response.text
