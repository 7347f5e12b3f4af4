"""Editors moderating comments through the real admin."""

import pytest
from django.test import Client
from django.urls import reverse

from blog.comments.models import Comment
from blog.posts.models import Post
from tests.comments.helpers import signed_token
from tests.factories import CommentFactory, PostFactory, StaffFactory
from tests.helpers import meta_lines, one, page, text_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def post():
    return PostFactory(title="WhatsApp crashes")


def run_action(client, action, comments):
    # From the All view, which offers every status change.
    return client.post(
        f"{CHANGELIST}?status=all",
        {"action": action, "_selected_action": [str(c.pk) for c in comments], "index": "0"},
        follow=True,
    )


def submit_comment(client, post, body):
    response = client.post(
        reverse("comments:post", kwargs={"post_id": post.pk}),
        {
            "name": "Ann Reader",
            "email": "ann@example.com",
            "body": body,
            "token": signed_token(post),
        },
    )
    assert response.status_code == 302
    return Comment.objects.get(body=body)


def test_approving_a_posted_comment_shows_it_on_the_article(client, post):
    comment = submit_comment(client, post, "Worth waiting for")
    # Other readers don't see it (its author does, marked as awaiting moderation).
    assert "Worth waiting for" not in Client().get(post.get_absolute_url()).text
    client.force_login(StaffFactory(username="moderator"))

    response = run_action(client, "approve", [comment])

    assert "1 comment marked approved." in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    client.logout()
    article = client.get(post.get_absolute_url())
    assert "Worth waiting for" in text_of(one(page(article), "ol.comment-list"))
    assert meta_lines(article)[0].endswith(" // 1 Comment")


@pytest.mark.parametrize(
    ("action", "status", "label"),
    [
        ("approve", Comment.Status.APPROVED, "approved"),
        ("mark_spam", Comment.Status.SPAM, "spam"),
        ("move_to_trash", Comment.Status.TRASH, "trash"),
        ("mark_pending", Comment.Status.PENDING, "pending"),
    ],
)
def test_moderation_actions_change_the_status_of_the_selection(
    admin_client, post, action, status, label
):
    start = Comment.Status.PENDING if status != Comment.Status.PENDING else "approved"
    chosen = CommentFactory.create_batch(2, post=post, status=start)
    untouched = CommentFactory(post=post, status=start)

    response = run_action(admin_client, action, chosen)

    assert f"2 comments marked {label}." in response.text
    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in chosen])} == {status}
    untouched.refresh_from_db()
    assert untouched.status == start


@pytest.mark.parametrize("action", ["mark_spam", "move_to_trash", "mark_pending"])
def test_removing_an_approved_comment_takes_it_off_the_article(admin_client, post, action):
    comment = CommentFactory(post=post, body="Buy cheap watches")

    run_action(admin_client, action, [comment])

    admin_client.logout()
    article = admin_client.get(post.get_absolute_url())
    assert "Buy cheap watches" not in article.text
    assert meta_lines(article)[0].endswith(" // No Comments")


def test_changelist_lists_pending_comments_with_their_post(admin_client, post):
    CommentFactory(post=post, name="Ann", body="Short remark", status=Comment.Status.PENDING)

    tree = page(admin_client.get(CHANGELIST, {"status": "pending"}))

    (row,) = [tr for tr in one(tree, "table#result_list").select("tr") if tr.select("td")]
    assert "Ann" in text_of(row)
    assert "Short remark" in text_of(row)
    assert "WhatsApp crashes" in text_of(row)


def test_changelist_shortens_long_comments(admin_client, post):
    CommentFactory(post=post, body="x" * 200)

    tree = page(admin_client.get(CHANGELIST, {"status": "all"}))

    assert text_of(one(tree, "#result_list .field-short_body .comment-text")) == "x" * 79 + "…"


def test_comment_change_page_opens(admin_client, post):
    comment = CommentFactory(post=post)

    response = admin_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert response.status_code == 200


def test_closed_post_keeps_refusing_comments_after_moderation(admin_client):
    closed = PostFactory(comment_mode=Post.CommentMode.CLOSED)
    CommentFactory(post=closed, status=Comment.Status.PENDING)

    run_action(admin_client, "approve", list(Comment.objects.all()))

    admin_client.logout()
    article = admin_client.get(closed.get_absolute_url())
    assert meta_lines(article)[0].endswith(f" // Comments Off on {closed.title}")
    assert page(article).select("form.comment-form") == []
    assert len(page(article).select("li.comment")) == 1
