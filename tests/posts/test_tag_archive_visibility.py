"""A tag has an archive and a feed only once a post of it is published: drafts reveal nothing."""

import pytest
from django.test import Client

from blog.posts.models import Post
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db

TAG_ADDRESSES = ["/tag/{}/", "/tag/{}/page/2/", "/tag/{}/feed/", "/tag/{}/feed/atom/"]


@pytest.mark.parametrize("address", TAG_ADDRESSES)
@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Post.Status.DRAFT},
        {"status": Post.Status.PENDING},
        {"status": Post.Status.PRIVATE},
        {"status": Post.Status.TRASH},
        {"scheduled": True},
    ],
    ids=["draft", "pending", "private", "trash", "scheduled"],
)
def test_a_tag_used_only_by_unpublished_posts_is_404(address, hidden, tomorrow):
    if hidden.pop("scheduled", False):
        hidden["published_at"] = tomorrow
    PostFactory(title="Secret launch", tags=["secret-launch"], **hidden)

    response = Client().get(address.format("secret-launch"))

    assert response.status_code == 404
    assert "Secret launch" not in response.text
    assert "secret-launch" not in response.text


@pytest.mark.parametrize("address", ["/tag/{}/", "/tag/{}/feed/", "/tag/{}/feed/atom/"])
def test_the_tag_answers_once_one_of_its_posts_is_published(address):
    draft = PostFactory(title="Secret launch", tags=["launch"], status=Post.Status.DRAFT)
    PostFactory(title="Another draft", tags=["launch"], status=Post.Status.DRAFT)
    assert Client().get(address.format("launch")).status_code == 404

    draft.status = Post.Status.PUBLISHED
    draft.save()

    response = Client().get(address.format("launch"))
    assert response.status_code == 200
    assert "Secret launch" in response.text
    assert "Another draft" not in response.text
