"""
Deleting a post asks what to do with its comments: delete the post with them,
or move the post to the trash instead (Post.trash(), kept for 30 days). Both
paths, for one post (the delete page) and for several (the bulk action).
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from blog.accounts.roles import AUTHOR, EDITOR
from blog.comments.models import Comment
from blog.posts.models import Post
from tests.factories import CommentFactory, PostFactory, RoleUserFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:posts_post_changelist")
Status = Comment.Status


@pytest.fixture
def editor_client(client):
    client.force_login(RoleUserFactory(username="ed", role=EDITOR))
    return client


@pytest.fixture
def post():
    post = PostFactory(title="WhatsApp crashes")
    CommentFactory.create_batch(2, post=post, status=Status.APPROVED)
    CommentFactory(post=post, status=Status.SPAM)
    return post


def delete_url(post):
    return reverse("admin:posts_post_delete", args=[post.pk])


def choices(response):
    form = one(page(response), "form.post-delete-choice")
    return [(b.attrs["name"], b.attrs["value"], text_of(b)) for b in form.select("button")]


# One post.


def test_delete_page_counts_the_comments_and_offers_both_choices(editor_client, post):
    response = editor_client.get(delete_url(post))

    assert response.status_code == 200
    assert "“WhatsApp crashes” has 3 comments." in text_of(
        one(page(response), ".post-delete-question")
    )
    assert choices(response) == [
        ("choice", "trash", "Move the post to the trash instead (keeps everything for 30 days)"),
        ("choice", "delete", "Delete the post and its 3 comments"),
    ]


def test_delete_page_of_a_post_without_comments(editor_client):
    lonely = PostFactory()

    response = editor_client.get(delete_url(lonely))

    assert choices(response)[-1] == ("choice", "delete", "Delete the post")


def test_choosing_delete_deletes_the_post_and_its_comments(editor_client, post):
    other = CommentFactory()

    response = editor_client.post(
        delete_url(post), {"post": "yes", "choice": "delete"}, follow=True
    )

    assert response.redirect_chain[-1][0] == CHANGELIST
    assert not Post.objects.filter(pk=post.pk).exists()
    assert list(Comment.objects.all()) == [other]


def test_choosing_trash_keeps_the_post_and_its_comments(editor_client, post):
    response = editor_client.post(delete_url(post), {"post": "yes", "choice": "trash"}, follow=True)

    assert response.redirect_chain == [(CHANGELIST, 302)]
    assert "“WhatsApp crashes” moved to the trash; it is deleted after 30 days." in response.text
    post.refresh_from_db()
    assert (post.status, post.status_before_trash) == (Post.Status.TRASH, Post.Status.PUBLISHED)
    assert post.trashed_at is not None
    assert post.comments.count() == 3
    assert not LogEntry.objects.filter(action_flag=3).exists()


def test_a_post_already_in_the_trash_can_only_be_deleted(editor_client, post):
    post.trash()

    response = editor_client.get(delete_url(post))

    assert [value for _, value, _ in choices(response)] == ["delete"]


def test_who_may_not_delete_may_not_trash_through_the_delete_page(client, post):
    author = RoleUserFactory(role=AUTHOR)
    mine = PostFactory(author=author)
    client.force_login(author)

    assert client.get(delete_url(mine)).status_code == 403
    assert client.post(delete_url(mine), {"post": "yes", "choice": "trash"}).status_code == 403
    mine.refresh_from_db()
    assert mine.status == Post.Status.PUBLISHED


# Several posts.


@pytest.fixture
def posts(post):
    second = PostFactory(title="Second")
    CommentFactory(post=second)
    return [post, second]


def bulk(client, action, posts, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [p.pk for p in posts], **extra},
        follow=True,
    )


def test_bulk_delete_is_offered_only_in_the_trash_view(editor_client, posts):
    # Outside the Trash view the list offers Move to trash, never Delete permanently.
    response = bulk(editor_client, "delete_selected", posts, index="0")

    assert "No action selected." in response.text
    assert Post.objects.count() == 2


def test_bulk_delete_from_the_trash_view_counts_the_comments(editor_client, posts):
    for post in posts:
        post.trash()

    response = editor_client.post(
        f"{CHANGELIST}?status=trash",
        {"action": "delete_selected", "_selected_action": [p.pk for p in posts], "index": "0"},
    )

    question = text_of(one(page(response), ".post-delete-question"))
    assert question.startswith("The 2 selected posts have 4 comments in all.")
    assert Post.objects.count() == 2


def press(client, response, value):
    """Submit the confirmation form as a browser does, with the button of ``value``."""
    data = form_data(response, "form.post-delete-choice")
    (name,) = {n for n, v, _ in choices(response) if v == value}
    return client.post(f"{CHANGELIST}?status=trash", {**data, name: value}, follow=True)


def test_bulk_delete_chosen_deletes_posts_and_comments(editor_client, posts):
    kept = PostFactory(title="Kept")
    for post in posts:
        post.trash()
    asked = editor_client.post(
        f"{CHANGELIST}?status=trash",
        {"action": "delete_selected", "_selected_action": [p.pk for p in posts], "index": "0"},
    )

    response = press(editor_client, asked, "delete_selected")

    assert "Successfully deleted 2 posts." in response.text
    assert list(Post.objects.all()) == [kept]
    assert Comment.objects.count() == 0


def test_bulk_delete_from_the_trash_view_offers_delete_only(editor_client, posts):
    for post in posts:
        post.trash()

    response = editor_client.post(
        f"{CHANGELIST}?status=trash",
        {"action": "delete_selected", "_selected_action": [p.pk for p in posts], "index": "0"},
    )

    assert [value for _, value, _ in choices(response)] == ["delete_selected"]
