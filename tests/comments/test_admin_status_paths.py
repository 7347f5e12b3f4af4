"""
Every way a moderator changes a comment's status goes through one function
(blog/comments/status.py), so each path gives the same result: the reason in
the queue's why column, ``status_changed_at``, the counts readers and the
admin menu show, the anonymous article made fresh in the page cache, and one
email to the commenter whose comment was answered, never two.

The paths: the admin's edit form, a bulk action, a row action, the signed
link in the post author's email, and the admin's reply form (replying to a
pending comment approves it).
"""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from blog.accounts.roles import EDITOR
from blog.comments.models import Comment
from blog.comments.moderation_links import moderation_path
from blog.comments.status import change_status
from tests.factories import CommentFactory, PostFactory, RoleUserFactory
from tests.helpers import form_data, meta_lines, page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache")]

Status = Comment.Status
MOMENT = datetime.datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def editor():
    return RoleUserFactory(
        username="ed", email="ed@example.com", display_name="Ed Itor", role=EDITOR
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def post(editor):
    return PostFactory(title="WhatsApp crashes", author=editor)


@pytest.fixture
def parent(post):
    # Ann asked to hear of replies to her approved comment.
    return CommentFactory(post=post, name="Ann", email="ann@example.com", notify_replies=True)


@pytest.fixture
def reply(post, parent):
    # Bob's reply to Ann waits for moderation.
    return CommentFactory(
        post=post,
        parent=parent,
        name="Bob",
        email="bob@example.com",
        status=Status.PENDING,
        moderation_reason="First comment from this commenter: held for approval.",
    )


def by_form(client, comment, editor):
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = form_data(client.get(url), "#comment_form")
    assert client.post(url, {**data, "status": "approved"}).status_code == 302


def by_bulk_action(client, comment, editor):
    data = {"action": "approve", "_selected_action": [comment.pk], "index": "0"}
    assert client.post(CHANGELIST, data).status_code == 302


def by_row_action(client, comment, editor):
    url = reverse("admin:comments_comment_row_action", args=[comment.pk, "approve"])
    assert client.post(url, {"next": CHANGELIST}).status_code == 302


def by_email_link(client, comment, editor):
    # Logged out, as from a mail program: the link is the authority.
    assert Client().post(moderation_path(comment, "approve", editor)).status_code == 200


def by_reply(client, comment, editor):
    url = reverse("admin:comments_comment_reply", args=[comment.pk])
    assert client.post(url, {"body": "Welcome, Bob."}).status_code == 302


PATHS = {
    "edit form": (by_form, "in the edit form"),
    "bulk action": (by_bulk_action, "with a bulk action"),
    "row action": (by_row_action, "in the comment queue"),
    "email link": (by_email_link, "from the email link"),
    "reply form": (by_reply, "on replying"),
}


def reply_emails_to(address):
    return [m for m in mail.outbox if m.to == [address] and "New reply" in m.subject]


@pytest.mark.parametrize("path", PATHS)
def test_every_path_approves_the_same_way(
    path, editor_client, editor, post, parent, reply, django_capture_on_commit_callbacks
):
    act, where = PATHS[path]
    reader = Client()
    article = post.get_absolute_url()
    reader.get(article)
    assert reader.get(article)["X-Cache"] == "hit"
    assert meta_lines(reader.get(article))[0].endswith(" // 1 Comment")

    with time_machine.travel(MOMENT, tick=False), django_capture_on_commit_callbacks(execute=True):
        act(editor_client, reply, editor)

    reply.refresh_from_db()
    assert (reply.status, reply.status_changed_at) == (Status.APPROVED, MOMENT)
    assert reply.moderation_reason == f"Approved by Ed Itor {where}."
    # Ann hears of Bob's reply once, whichever path approved it.
    assert len(reply_emails_to("ann@example.com")) == 1
    # The anonymous article is rendered afresh, with the new count.
    fresh = reader.get(article)
    assert fresh["X-Cache"] == "miss"
    shown = 3 if path == "reply form" else 2  # the reply form adds Ed's own reply
    assert meta_lines(fresh)[0].endswith(f" // {shown} Comments")
    assert f"comment-{reply.pk}" in fresh.text
    # Nothing waits any more: no pending badge in the admin menu.
    assert page(editor_client.get(reverse("admin:index"))).select(".pending-count") == []


@pytest.mark.parametrize(
    ("start", "status", "said"),
    [
        (Status.PENDING, Status.APPROVED, "Approved"),
        (Status.APPROVED, Status.PENDING, "Unapproved"),
        (Status.PENDING, Status.SPAM, "Marked as spam"),
        (Status.APPROVED, Status.TRASH, "Moved to the trash"),
        (Status.SPAM, Status.PENDING, "Marked as not spam"),
        (Status.TRASH, Status.PENDING, "Restored from the trash"),
    ],
)
def test_the_reason_says_what_was_done_by_whom_and_where(editor, post, start, status, said):
    comment = CommentFactory(post=post, status=start)

    assert change_status(comment, status, editor, "in the comment queue")

    comment.refresh_from_db()
    assert comment.moderation_reason == f"{said} by Ed Itor in the comment queue."


def test_a_comment_already_in_the_status_is_left_alone(editor, post):
    comment = CommentFactory(
        post=post, status_changed_at=MOMENT, moderation_reason="Passed every discussion rule."
    )

    assert not change_status(comment, Status.APPROVED, editor, "in the comment queue")

    comment.refresh_from_db()
    assert (comment.status_changed_at, comment.moderation_reason) == (
        MOMENT,
        "Passed every discussion rule.",
    )


def test_unapproving_a_reply_then_approving_it_again_mails_once_more_only(
    editor, post, parent, reply, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        change_status(reply, Status.APPROVED, editor, "in the comment queue")
        change_status(reply, Status.APPROVED, editor, "in the comment queue")
    assert len(reply_emails_to("ann@example.com")) == 1

    with django_capture_on_commit_callbacks(execute=True):
        change_status(reply, Status.PENDING, editor, "in the comment queue")
    assert len(reply_emails_to("ann@example.com")) == 1
