"""
The moderation queue: status views with counts, the bulk actions of each view,
the pending badge of the admin menu, reply and edit from the admin, and who
may do any of it. Every action is posted through the changelist, as the
admin's own form posts it (to the URL of the view shown).
"""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from blog.accounts.roles import AUTHOR, CONTRIBUTOR, EDITOR
from blog.comments.models import Comment
from tests.factories import CommentFactory, PostFactory, RoleUserFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = reverse("admin:comments_comment_changelist")
MOMENT = datetime.datetime(2026, 5, 4, 10, 30, tzinfo=UTC)


@pytest.fixture
def post():
    return PostFactory(title="WhatsApp crashes")


@pytest.fixture
def editor():
    return RoleUserFactory(username="ed", role=EDITOR, display_name="Ed Itor")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def changelist(view=None):
    """The list of one status view; None is the All view."""
    return f"{CHANGELIST}?status={view or 'all'}"


def run_action(client, action, comments, view=None):
    return client.post(
        changelist(view),
        {"action": action, "_selected_action": [str(c.pk) for c in comments], "index": "0"},
        follow=True,
    )


def statuses(comments):
    return [Comment.objects.get(pk=c.pk).status for c in comments]


def rows(response):
    return one(page(response), "table#result_list").select("tbody tr")


def action_names(response):
    return [o.attrs["value"] for o in page(response).select("select[name=action] option")][1:]


# Views by status, with their counts.


def test_status_filter_lists_each_status_with_its_count(editor_client, post):
    CommentFactory.create_batch(3, post=post, status=Status.PENDING)
    CommentFactory.create_batch(2, post=post, status=Status.APPROVED)
    CommentFactory(post=post, status=Status.SPAM)
    CommentFactory.create_batch(4, post=post, status=Status.TRASH)

    response = editor_client.get(CHANGELIST)

    links = [text_of(a) for a in page(response).select("#changelist-filter details")[0].select("a")]
    assert links == ["All (5)", "Pending (3)", "Approved (2)", "Spam (1)", "Trash (4)"]


@pytest.mark.parametrize(
    ("view", "shown"),
    [(None, {"pending", "approved"}), ("pending", {"pending"}), ("spam", {"spam"}),
     ("trash", {"trash"}), ("approved", {"approved"})],
)  # fmt: skip
def test_each_view_lists_its_comments_and_all_leaves_out_spam_and_trash(
    editor_client, post, view, shown
):
    for status in Status:
        CommentFactory(post=post, status=status, body=f"A {status} remark")

    found = [text_of(one(tr, ".comment-text")) for tr in rows(editor_client.get(changelist(view)))]

    assert sorted(found) == sorted(f"A {status} remark" for status in shown)


def test_columns_show_author_post_links_status_and_why(editor_client, post):
    comment = CommentFactory(
        post=post,
        name="Ann",
        email="ann@example.com",
        ip="203.0.113.7",
        status=Status.PENDING,
        moderation_reason="Matched moderation word “casino”.",
    )

    (row,) = rows(editor_client.get(changelist()))

    author = one(row, ".field-author")
    assert [text_of(n) for n in author.select("strong, a")] == [
        "Ann", "ann@example.com", "203.0.113.7",
    ]  # fmt: skip
    assert one(author, "a[href^='mailto:']").attrs["href"] == "mailto:ann@example.com"
    assert one(author, "a[href*='q=']").attrs["href"] == f"{CHANGELIST}?q=203.0.113.7"
    post_cell = one(row, ".field-in_response_to")
    hrefs = [a.attrs["href"] for a in post_cell.select("a")]
    assert hrefs == [
        reverse("admin:posts_post_change", args=[post.pk]),
        f"/comments/{comment.pk}/",
    ]
    assert text_of(one(row, ".field-short_body .status-pending")) == "Pending"
    assert text_of(one(row, ".field-why")) == "Matched moderation word “casino”."
    assert one(row, ".row-actions a.row-action-edit").attrs["href"] == reverse(
        "admin:comments_comment_change", args=[comment.pk]
    )
    assert one(row, ".row-actions a.row-action-reply").attrs["href"] == reverse(
        "admin:comments_comment_reply", args=[comment.pk]
    )


@pytest.mark.parametrize(
    ("term", "field"),
    [("Zebedee", "name"), ("zeb@example.org", "email"), ("zeb.example.org", "url"),
     ("198.51.100.23", "ip"), ("marmalade", "body"), ("Lighthouse", "post title")],
)  # fmt: skip
def test_search_finds_comments_by_each_field(editor_client, term, field):
    CommentFactory(
        post=PostFactory(title="The Lighthouse keeper"),
        name="Zebedee",
        email="zeb@example.org",
        url="https://zeb.example.org/",
        ip="198.51.100.23",
        body="I like marmalade.",
    )
    CommentFactory(post=PostFactory(title="Other"), name="Ann", body="Something else.")

    found = [
        text_of(one(tr, ".comment-text")) for tr in rows(editor_client.get(CHANGELIST, {"q": term}))
    ]

    assert found == ["I like marmalade."], field


# Bulk actions, view by view.


def test_each_view_offers_wordpress_bulk_actions(editor_client, post):
    for status in Status:
        CommentFactory(post=post, status=status)
    offered = {view: action_names(editor_client.get(changelist(view))) for view in
               (None, "pending", "approved", "spam", "trash")}  # fmt: skip

    assert offered == {
        None: ["approve", "mark_pending", "mark_spam", "move_to_trash"],
        "pending": ["approve", "mark_spam", "move_to_trash"],
        "approved": ["mark_pending", "mark_spam", "move_to_trash"],
        "spam": ["not_spam", "delete_selected"],
        "trash": ["restore", "delete_selected"],
    }
    assert "Delete permanently" in text_of(
        one(page(editor_client.get(changelist("trash"))), "select[name=action]")
    )


@pytest.mark.parametrize(
    ("view", "action", "start", "end", "message"),
    [
        (None, "approve", Status.PENDING, Status.APPROVED, "2 comments marked approved."),
        ("approved", "mark_pending", Status.APPROVED, Status.PENDING, "2 comments marked pending."),
        ("pending", "mark_spam", Status.PENDING, Status.SPAM, "2 comments marked spam."),
        (None, "move_to_trash", Status.APPROVED, Status.TRASH, "2 comments marked trash."),
        ("spam", "not_spam", Status.SPAM, Status.PENDING,
         "2 comments are no longer spam; they are pending again."),
        ("trash", "restore", Status.TRASH, Status.PENDING,
         "2 comments restored from the trash; they are pending."),
    ],
)  # fmt: skip
def test_bulk_action_changes_the_selection_and_stamps_the_time(
    editor_client, post, view, action, start, end, message
):
    created = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    chosen = CommentFactory.create_batch(2, post=post, status=start, status_changed_at=created)
    untouched = CommentFactory(post=post, status=start, status_changed_at=created)

    with time_machine.travel(MOMENT, tick=False):
        response = run_action(editor_client, action, chosen, view)

    assert message in text_of(one(page(response), "ul.messagelist"))
    assert statuses(chosen) == [end, end]
    assert {Comment.objects.get(pk=c.pk).status_changed_at for c in chosen} == {MOMENT}
    untouched.refresh_from_db()
    assert (untouched.status, untouched.status_changed_at) == (start, created)


def test_approving_an_approved_comment_again_changes_nothing(editor_client, post):
    done = CommentFactory(post=post, status=Status.APPROVED, status_changed_at=MOMENT)

    response = run_action(editor_client, "approve", [done])

    assert "0 comments marked approved." in response.text
    done.refresh_from_db()
    assert done.status_changed_at == MOMENT


@pytest.mark.parametrize("view", ["spam", "trash"])
def test_delete_permanently_asks_then_deletes_from_spam_and_trash(editor_client, post, view):
    chosen = CommentFactory.create_batch(2, post=post, status=view)
    kept = CommentFactory(post=post, status=view)
    selection = {"action": "delete_selected", "_selected_action": [c.pk for c in chosen]}

    confirm = editor_client.post(changelist(view), {**selection, "index": "0"})

    assert "Are you sure" in confirm.text
    assert Comment.objects.count() == 3
    response = editor_client.post(changelist(view), {**selection, "post": "yes"}, follow=True)

    assert "Successfully deleted 2 comments." in response.text
    assert list(Comment.objects.all()) == [kept]


def test_delete_permanently_is_refused_outside_spam_and_trash(editor_client, post):
    comment = CommentFactory(post=post, status=Status.APPROVED)

    response = editor_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"},
        follow=True,
    )  # fmt: skip

    assert "No action selected." in response.text
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_restore_leaves_comments_that_are_not_in_the_trash(editor_client, post):
    spam = CommentFactory(post=post, status=Status.SPAM)

    response = run_action(editor_client, "restore", [spam], "trash")

    assert "0 comments restored" in response.text
    assert statuses([spam]) == [Status.SPAM]


def test_bulk_approving_a_reply_tells_the_parent_commenter(
    editor_client, post, django_capture_on_commit_callbacks
):
    parent = CommentFactory(post=post, email="ann@example.com", notify_replies=True)
    reply = CommentFactory(post=post, parent=parent, status=Status.PENDING, name="Bob")

    with django_capture_on_commit_callbacks(execute=True):
        run_action(editor_client, "approve", [reply])

    assert [m.to for m in mail.outbox] == [["ann@example.com"]]


# The change form.


def test_editing_a_comment_keeps_its_record_and_stamps_a_status_change(editor_client, post):
    comment = CommentFactory(
        post=post,
        status=Status.PENDING,
        body="Teh typo",
        ip="203.0.113.7",
        user_agent="Mozilla/5.0",
        moderation_reason="Held for moderation.",
    )
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = form_data(editor_client.get(url), "#comment_form")
    assert {"ip", "user_agent", "moderation_reason", "created_at", "post"}.isdisjoint(data)

    with time_machine.travel(MOMENT, tick=False):
        response = editor_client.post(url, {**data, "body": "The typo", "status": "approved"})

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.status, comment.status_changed_at) == (
        "The typo", Status.APPROVED, MOMENT,
    )  # fmt: skip
    assert comment.body_html == "<p>The typo</p>"
    assert (comment.ip, comment.user_agent) == ("203.0.113.7", "Mozilla/5.0")
    # The why column says who changed the status, and where.
    assert comment.moderation_reason == "Approved by Ed Itor in the edit form."


def test_editing_only_the_text_leaves_the_status_time(editor_client, post):
    comment = CommentFactory(post=post, status_changed_at=MOMENT)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = form_data(editor_client.get(url), "#comment_form")

    editor_client.post(url, {**data, "body": "Changed"})

    comment.refresh_from_db()
    assert (comment.body, comment.status_changed_at) == ("Changed", MOMENT)


# Reply from the admin.


def reply_url(comment):
    return reverse("admin:comments_comment_reply", args=[comment.pk])


def test_reply_from_the_admin_publishes_an_approved_reply_by_the_moderator(
    editor_client, editor, post
):
    parent = CommentFactory(post=post, name="Ann", status=Status.APPROVED)
    assert "Ann" in text_of(one(page(editor_client.get(reply_url(parent))), "#content-main"))

    response = editor_client.post(reply_url(parent), {"body": "Thanks, Ann."}, follow=True)

    assert response.redirect_chain == [(CHANGELIST, 302)]
    assert "Your reply to Ann is published." in response.text
    reply = Comment.objects.get(parent=parent)
    assert (reply.post, reply.user, reply.name, reply.email, reply.status) == (
        post, editor, "Ed Itor", "ed@example.com", Status.APPROVED,
    )  # fmt: skip
    assert reply.body_html == "<p>Thanks, Ann.</p>"
    editor_client.logout()
    assert "Thanks, " in text_of(
        one(page(editor_client.get(post.get_absolute_url())), "ol.comment-list")
    )


def test_replying_to_a_pending_comment_approves_it(editor_client, post):
    parent = CommentFactory(post=post, name="Ann", status=Status.PENDING)

    with time_machine.travel(MOMENT, tick=False):
        response = editor_client.post(reply_url(parent), {"body": "Welcome."}, follow=True)

    assert "Your reply to Ann is published and their comment approved." in response.text
    parent.refresh_from_db()
    assert (parent.status, parent.status_changed_at) == (Status.APPROVED, MOMENT)


def test_reply_tells_the_commenter_who_asked(
    editor_client, post, django_capture_on_commit_callbacks
):
    parent = CommentFactory(post=post, email="ann@example.com", notify_replies=True)

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reply_url(parent), {"body": "Noted."})

    assert ["ann@example.com"] in [m.to for m in mail.outbox]


def test_an_empty_reply_is_refused_and_stores_nothing(editor_client, post):
    parent = CommentFactory(post=post)

    response = editor_client.post(reply_url(parent), {"body": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", [Status.SPAM, Status.TRASH])
def test_spam_and_trash_cannot_be_replied_to(editor_client, post, status):
    parent = CommentFactory(post=post, status=status)

    response = editor_client.post(reply_url(parent), {"body": "Hello"}, follow=True)

    assert "cannot be replied to" in response.text
    assert Comment.objects.count() == 1


# The pending badge of the admin menu.


def badge(response):
    found = page(response).select(".model-comment .pending-count")
    return [text_of(b) for b in found]


def test_editor_sees_the_pending_count_in_the_menu(editor_client, post):
    CommentFactory.create_batch(3, post=post, status=Status.PENDING)
    CommentFactory(post=post, status=Status.APPROVED)
    CommentFactory(post=post, status=Status.SPAM)

    assert badge(editor_client.get(reverse("admin:index"))) == ["(3 pending)"]
    # The nav sidebar on every other page.
    assert badge(editor_client.get(reverse("admin:posts_post_changelist"))) == ["(3 pending)"]
    other_rows = page(editor_client.get(reverse("admin:index"))).select(".pending-count")
    assert len(other_rows) == 1


def test_no_badge_when_nothing_is_pending(editor_client, post):
    CommentFactory(post=post, status=Status.APPROVED)

    assert badge(editor_client.get(reverse("admin:index"))) == []


@pytest.mark.parametrize("role", [CONTRIBUTOR, AUTHOR])
def test_roles_that_do_not_moderate_see_no_badge(client, post, role):
    CommentFactory.create_batch(2, post=post, status=Status.PENDING)
    client.force_login(RoleUserFactory(role=role))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert page(response).select(".pending-count") == []
    assert "awaiting moderation" not in response.text


# Who may moderate.


@pytest.mark.parametrize("role", [CONTRIBUTOR, AUTHOR])
def test_contributors_and_authors_are_refused_every_moderation_page(client, post, role):
    comment = CommentFactory(post=post, status=Status.PENDING)
    client.force_login(RoleUserFactory(role=role))

    assert client.get(CHANGELIST).status_code == 403
    assert run_action(client, "approve", [comment]).status_code == 403
    assert client.get(reply_url(comment)).status_code == 403
    assert client.post(reply_url(comment), {"body": "Hi"}).status_code == 403
    assert (
        client.get(reverse("admin:comments_comment_change", args=[comment.pk])).status_code == 403
    )
    assert statuses([comment]) == [Status.PENDING]
    assert Comment.objects.count() == 1


# Queries.

# The changelist as an Editor, whatever the number of comments:
#   1. the site settings
#   2. the session
#   3. the logged-in user
#   4. the user's own permissions (has_perm)
#   5. their groups' permissions
#   6. COUNT of comments per status (the status filter's labels, and the
#      admin menu's pending badge, which needs no query of its own here)
#   7. COUNT of the comments the filters leave
#   8. COUNT of all comments (the "N total" link)
#   9. the page of comments with their posts (list_select_related)
#  10. MIN and MAX created_at (date_hierarchy)
#  11. the distinct days comments were made (date_hierarchy's links)
CHANGELIST_QUERIES = 11


@pytest.mark.parametrize("count", [10, 500])
def test_changelist_queries_do_not_grow_with_comments(
    editor_client, django_assert_num_queries, count
):
    posts = PostFactory.create_batch(3)
    for n in range(count):
        CommentFactory(post=posts[n % 3], status=[Status.PENDING, Status.APPROVED][n % 2],
                       ip=f"203.0.113.{n % 250}")  # fmt: skip
    editor_client.get(changelist())

    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = editor_client.get(changelist())

    # A page holds 100 rows; the queue's queries are the same for 10 or 500.
    assert len(rows(response)) == min(count, 100)
