"""
A comment's own address, /comments/<id>/, used by feeds, emails and the
sidebar: it leads to the article on the page of threads that shows it.
"""

import datetime

import pytest
from django.utils import timezone

from blog.comments.models import Comment
from blog.posts.models import Post
from blog.sitesettings.models import SiteSettings
from tests.comments.helpers import post_comment
from tests.factories import CommentFactory, PostFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

START = timezone.now() - datetime.timedelta(days=1)


@pytest.fixture
def post():
    return PostFactory(published_at=START - datetime.timedelta(days=1))


def threads(post, count):
    """``count`` top-level comments, oldest first, each with one reply."""
    tops = [
        CommentFactory(post=post, name=f"T{n}", created_at=START + datetime.timedelta(minutes=n))
        for n in range(count)
    ]
    replies = [
        CommentFactory(post=post, parent=top, name=f"R{n}",
                       created_at=START + datetime.timedelta(minutes=count + n))
        for n, top in enumerate(tops)
    ]  # fmt: skip
    return tops, replies


def test_a_comment_link_leads_to_the_page_that_shows_it(client, post):
    SiteSettings(comments_per_page=2).save()
    tops, replies = threads(post, 5)
    url = post.get_absolute_url()

    assert tops[0].get_absolute_url() == f"/comments/{tops[0].pk}/"
    assert client.get(f"/comments/{tops[0].pk}/")["Location"] == f"{url}#comment-{tops[0].pk}"
    assert client.get(f"/comments/{tops[4].pk}/")["Location"] == (
        f"{url}?cpage=3#comment-{tops[4].pk}"
    )
    # A reply is on its thread's page, however late it was written.
    reply = replies[2]
    response = client.get(f"/comments/{reply.pk}/")
    assert response["Location"] == f"{url}?cpage=2#comment-{reply.pk}"
    followed = client.get(response["Location"])
    assert text_of(one(page(followed), f"#comment-{reply.pk} .comment-author")) == "R2"


def test_comment_links_follow_newest_first_order(client, post):
    SiteSettings(comments_per_page=2, comment_order=SiteSettings.CommentOrder.NEWEST).save()
    tops, _ = threads(post, 5)
    url = post.get_absolute_url()

    assert client.get(f"/comments/{tops[0].pk}/")["Location"] == (
        f"{url}?cpage=3#comment-{tops[0].pk}"
    )
    assert client.get(f"/comments/{tops[4].pk}/")["Location"] == f"{url}#comment-{tops[4].pk}"


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.SPAM,
                                    Comment.Status.TRASH])  # fmt: skip
def test_a_comment_no_longer_shown_leads_to_the_comments(client, post, status):
    comment = CommentFactory(post=post, status=status)

    response = client.get(f"/comments/{comment.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comments"


@pytest.mark.parametrize(
    "changes",
    [
        {"status": Post.Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
        {"status": Post.Status.TRASH},
    ],
    ids=["draft", "scheduled", "trash"],
)
def test_a_comment_on_a_post_readers_cannot_see_has_no_link(client, post, changes):
    comment = CommentFactory(post=post)
    Post.objects.filter(pk=post.pk).update(**changes)

    assert client.get(f"/comments/{comment.pk}/").status_code == 404
    assert client.get("/comments/999999/").status_code == 404


def test_an_approved_comment_lands_on_the_last_page_when_threads_are_paged(client, post):
    SiteSettings(comments_per_page=2).save()
    threads(post, 4)
    # An earlier approved comment from the same address: the next one is approved.
    CommentFactory(name="Ann Reader", email="ann@example.com", post=PostFactory())

    response = post_comment(client, post, body="Fifth thread")

    comment = Comment.objects.get(body="Fifth thread")
    assert comment.status == Comment.Status.APPROVED
    assert response["Location"] == f"{post.get_absolute_url()}?cpage=3#comment-{comment.pk}"
    followed = client.get(response["Location"])
    assert "Fifth thread" in text_of(one(page(followed), f"#comment-{comment.pk}"))
