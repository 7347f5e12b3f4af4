"""
The moderation queue starts where the work is, and each comment carries
WordPress's row actions: one-click POSTs that come back to the same list with
a message (the browser tests check the same buttons answered in place).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.accounts.roles import AUTHOR, EDITOR
from blog.comments.models import Comment
from tests.factories import CommentFactory, PostFactory, RoleUserFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def post():
    return PostFactory(title="WhatsApp crashes")


@pytest.fixture
def editor_client(client):
    client.force_login(RoleUserFactory(username="ed", display_name="Ed Itor", role=EDITOR))
    return client


def rows(response):
    table = page(response).select_one("table#result_list")
    return table.select("tbody tr") if table else []


def row_of(response, comment):
    (row,) = [r for r in rows(response) if r.select_one(f"input[value='{comment.pk}']")]
    return row


def offered(row):
    return [text_of(node) for node in row.select(".row-actions a, .row-actions button")]


def act(client, comment, action, back=CHANGELIST):
    url = reverse("admin:comments_comment_row_action", args=[comment.pk, action])
    return client.post(url, {"next": back}, follow=True)


def messages_of(response):
    return [text_of(li) for li in page(response).select("ul.messagelist li")]


def test_the_queue_opens_on_pending_newest_first(editor_client, post):
    now = timezone.now()
    older = CommentFactory(post=post, status=Status.PENDING, body="Older question",
                           created_at=now - datetime.timedelta(days=2))  # fmt: skip
    newer = CommentFactory(post=post, status=Status.PENDING, body="Newest question",
                           created_at=now - datetime.timedelta(hours=1))  # fmt: skip
    CommentFactory(post=post, status=Status.APPROVED, body="Already approved", created_at=now)

    response = editor_client.get(CHANGELIST)

    assert [text_of(one(r, ".comment-text")) for r in rows(response)] == [
        "Newest question",
        "Older question",
    ]
    selected = one(page(response).select("#changelist-filter details")[0], "li.selected")
    assert text_of(selected) == "Pending (2)"
    # Pending rows are marked with words, not colour alone.
    assert [text_of(one(r, ".status-pending")) for r in rows(response)] == ["Pending"] * 2
    assert {newer.pk, older.pk} == {int(r.select_one("input.action-select")["value"])
                                    for r in rows(response)}  # fmt: skip


def test_all_and_the_other_views_stay_one_click_away(editor_client, post):
    CommentFactory(post=post, status=Status.PENDING)
    CommentFactory(post=post, status=Status.APPROVED)

    tree = page(editor_client.get(CHANGELIST))

    links = {text_of(a): a["href"] for a in tree.select("#changelist-filter details")[0]("a")}
    assert links["All (2)"] == "?status=all"
    assert links["Pending (1)"] == "?status=pending"
    assert len(rows(editor_client.get(CHANGELIST, {"status": "all"}))) == 2


def test_a_search_from_the_queue_looks_through_every_active_comment(editor_client, post):
    CommentFactory(post=post, status=Status.APPROVED, body="About marmalade")
    CommentFactory(post=post, status=Status.PENDING, body="Nothing to see")

    response = editor_client.get(CHANGELIST, {"q": "marmalade"})

    assert [text_of(one(r, ".comment-text")) for r in rows(response)] == ["About marmalade"]


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.PENDING, ["Approve", "Reply", "Edit", "Spam", "Trash"]),
        (Status.APPROVED, ["Unapprove", "Reply", "Edit", "Spam", "Trash"]),
        (Status.SPAM, ["Not spam", "Delete permanently"]),
        (Status.TRASH, ["Restore", "Delete permanently"]),
    ],
)
def test_each_comment_offers_wordpress_row_actions(editor_client, post, status, actions):
    comment = CommentFactory(post=post, status=status)

    row = row_of(editor_client.get(CHANGELIST, {"status": status}), comment)

    assert offered(row) == actions
    for button in row.select(".row-actions button"):
        # Buttons of the page's row-action form, which carries the CSRF token.
        assert button["form"] == "row-action-form"
        assert button["formaction"].startswith(f"/admin/comments/comment/{comment.pk}/row/")


@pytest.mark.parametrize(
    ("start", "action", "end", "message"),
    [
        (Status.PENDING, "approve", Status.APPROVED, "Comment by Ann approved."),
        (Status.APPROVED, "unapprove", Status.PENDING,
         "Comment by Ann unapproved: it is pending again."),
        (Status.PENDING, "spam", Status.SPAM, "Comment by Ann marked as spam."),
        (Status.APPROVED, "trash", Status.TRASH, "Comment by Ann moved to the trash."),
        (Status.SPAM, "not_spam", Status.PENDING,
         "Comment by Ann is no longer spam; it is pending."),
        (Status.TRASH, "restore", Status.PENDING,
         "Comment by Ann restored from the trash; it is pending."),
    ],
)  # fmt: skip
def test_a_row_action_changes_the_comment_and_comes_back_to_the_list(
    editor_client, post, start, action, end, message
):
    comment = CommentFactory(post=post, name="Ann", status=start)
    back = f"{CHANGELIST}?status={start}"

    response = act(editor_client, comment, action, back)

    assert response.redirect_chain == [(back, 302)]
    assert messages_of(response) == [message]
    comment.refresh_from_db()
    assert comment.status == end
    assert comment.moderation_reason.endswith("by Ed Itor in the comment queue.")


def test_delete_permanently_from_the_trash_row(editor_client, post):
    comment = CommentFactory(post=post, name="Ann", status=Status.TRASH)

    response = act(editor_client, comment, "delete", f"{CHANGELIST}?status=trash")

    assert messages_of(response) == ["Comment by Ann deleted permanently."]
    assert not Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize("action", ["delete", "restore", "not_spam"])
def test_an_action_the_row_does_not_offer_changes_nothing(editor_client, post, action):
    # A stale button, or one made up: an approved comment is neither deleted nor "restored".
    comment = CommentFactory(post=post, name="Ann", status=Status.APPROVED)

    response = act(editor_client, comment, action)

    assert messages_of(response) == ["Comment by Ann is approved now; nothing was changed."]
    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED


def test_a_row_action_answers_only_a_post(editor_client, post):
    comment = CommentFactory(post=post, status=Status.PENDING)
    url = reverse("admin:comments_comment_row_action", args=[comment.pk, "approve"])

    assert editor_client.get(url).status_code == 405
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_the_way_back_stays_on_this_site(editor_client, post):
    comment = CommentFactory(post=post, status=Status.PENDING)

    response = act(editor_client, comment, "approve", "https://evil.example/")

    assert response.redirect_chain == [(CHANGELIST, 302)]


def test_authors_may_not_moderate_by_row_action(client, post):
    comment = CommentFactory(post=post, status=Status.PENDING)
    client.force_login(RoleUserFactory(role=AUTHOR))

    url = reverse("admin:comments_comment_row_action", args=[comment.pk, "approve"])

    assert client.post(url, {"next": CHANGELIST}).status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING
