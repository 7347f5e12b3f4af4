"""
``manage.py purge_trash`` for comments: trash and spam go 30 days after their
status last changed (``Comment.status_changed_at``), whatever their age.
The posts' side is in test_workflow.py.
"""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from blog.accounts.roles import EDITOR
from blog.comments.models import Comment
from blog.posts.models import Post
from tests.factories import CommentFactory, PostFactory, RoleUserFactory

pytestmark = pytest.mark.django_db

Status = Comment.Status
START = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = datetime.timedelta(days=1)


def purge(capsys, when):
    with time_machine.travel(when, tick=False):
        call_command("purge_trash")
    return capsys.readouterr().out.splitlines()


def test_purges_trash_and_spam_comments_30_days_after_their_status_changed(capsys):
    post = PostFactory()
    old_ones = [
        CommentFactory(post=post, status=status, body=f"old {status}", status_changed_at=START)
        for status in (Status.TRASH, Status.SPAM)
    ]
    for status in Status:
        # Changed a day later: kept.
        CommentFactory(post=post, status=status, body=f"recent {status}",
                       status_changed_at=START + DAY)  # fmt: skip
    for status in (Status.APPROVED, Status.PENDING):
        CommentFactory(post=post, status=status, body=f"old {status}", status_changed_at=START)

    lines = purge(capsys, START + 30 * DAY + datetime.timedelta(hours=1))

    assert lines == [
        "Purged 0 post(s) trashed before 2026-03-01 13:00 UTC.",
        "Purged 2 comment(s) in the trash or spam since before 2026-03-01 13:00 UTC.",
        "Purged 0 auto-draft(s) not autosaved for 7 days.",
    ]
    assert not Comment.objects.filter(pk__in=[c.pk for c in old_ones]).exists()
    assert sorted(Comment.objects.values_list("body", flat=True)) == [
        "old approved", "old pending", "recent approved", "recent pending",
        "recent spam", "recent trash",
    ]  # fmt: skip


def test_keeps_a_comment_trashed_exactly_30_days_ago(capsys):
    comment = CommentFactory(status=Status.TRASH, status_changed_at=START)

    purge(capsys, START + 30 * DAY)

    assert Comment.objects.filter(pk=comment.pk).exists()


def test_an_old_comment_trashed_today_waits_its_30_days(client, capsys):
    """The clock starts when the comment goes to the trash, not when it was written."""
    ancient = CommentFactory(
        status=Status.APPROVED,
        created_at=START - 365 * DAY,
        status_changed_at=START - 365 * DAY,
    )
    client.force_login(RoleUserFactory(role=EDITOR))
    with time_machine.travel(START, tick=False):
        client.post(
            # The queue's All view (it opens on Pending, which lists no approved comment).
            reverse("admin:comments_comment_changelist") + "?status=all",
            {"action": "move_to_trash", "_selected_action": [ancient.pk], "index": "0"},
        )
    ancient.refresh_from_db()
    assert (ancient.status, ancient.status_changed_at) == (Status.TRASH, START)

    purge(capsys, START + 29 * DAY)
    assert Comment.objects.filter(pk=ancient.pk).exists()

    assert purge(capsys, START + 31 * DAY)[1].startswith("Purged 1 comment(s)")
    assert not Comment.objects.filter(pk=ancient.pk).exists()


def test_a_purged_post_takes_its_comments_and_both_are_counted(capsys):
    post = PostFactory(title="Binned")
    with time_machine.travel(START, tick=False):
        post.trash()
    CommentFactory(post=post, status=Status.APPROVED)
    CommentFactory(post=post, status=Status.SPAM, status_changed_at=START)
    kept = CommentFactory(status=Status.SPAM, status_changed_at=START + 10 * DAY)

    lines = purge(capsys, START + 31 * DAY)

    assert lines[0].startswith("Purged 1 post(s)")
    assert lines[1].startswith("Purged 1 comment(s)")
    assert not Post.objects.filter(pk=post.pk).exists()
    assert list(Comment.objects.all()) == [kept]
