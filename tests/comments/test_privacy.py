"""
Export or erase every comment of one email address, from the admin
("Export or erase by email" on the comment changelist), and the functions
of blog/comments/privacy.py behind it.
"""

import datetime
import json
from datetime import UTC

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from blog.accounts.roles import AUTHOR, CONTRIBUTOR, EDITOR
from blog.comments import privacy
from blog.comments.models import Comment
from tests.factories import CommentFactory, PostFactory, RoleUserFactory, UserFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

Status = Comment.Status
PRIVACY = reverse("admin:comments_comment_privacy")
CHANGELIST = reverse("admin:comments_comment_changelist")


@pytest.fixture
def post():
    return PostFactory(title="WhatsApp crashes")


@pytest.fixture
def reader():
    return UserFactory(username="ann")


@pytest.fixture
def anns(post, reader):
    """Ann's three comments (one typed with capitals, one spam), and one of Bob's replying."""
    first = CommentFactory(
        post=post,
        name="Ann",
        email="ann@example.com",
        url="https://ann.example.com/",
        ip="203.0.113.7",
        user_agent="Mozilla/5.0 (Ann)",
        user=reader,
        body="First remark.",
        notify_replies=True,
        moderation_reason="Approved: an earlier comment of ann@example.com was approved.",
        created_at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
    )
    second = CommentFactory(
        post=PostFactory(title="Second post"),
        name="Ann R.",
        email="Ann@Example.com",
        ip="2001:db8::1",
        body="Second remark.",
        created_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    )
    spam = CommentFactory(
        post=post,
        name="Ann",
        email="ann@example.com",
        body="Buy now.",
        status=Status.SPAM,
        created_at=datetime.datetime(2026, 3, 3, 9, 0, tzinfo=UTC),
    )
    return [first, second, spam]


@pytest.fixture
def bobs_reply(post, anns):
    return CommentFactory(
        post=post, parent=anns[0], name="Bob", email="bob@example.com", body="Agreed."
    )


@pytest.fixture
def editor_client(client):
    client.force_login(RoleUserFactory(username="ed", role=EDITOR))
    return client


def test_the_comment_changelist_links_to_the_privacy_page(editor_client):
    tree = page(editor_client.get(CHANGELIST))

    link = one(tree, ".object-tools a.privacy-link")
    assert (text_of(link), link.attrs["href"]) == ("Export or erase by email", PRIVACY)
    assert editor_client.get(PRIVACY).status_code == 200


# Export.


def test_export_downloads_every_comment_of_the_address_as_json(editor_client, anns, bobs_reply):
    response = editor_client.post(PRIVACY, {"email": "ANN@example.com", "action": "export"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data = json.loads(response.content)
    assert data["email"] == "ANN@example.com"
    assert [c["body"] for c in data["comments"]] == ["First remark.", "Second remark.", "Buy now."]
    first = data["comments"][0]
    assert first == {
        "id": anns[0].pk,
        "post_title": "WhatsApp crashes",
        "comment_url": f"http://testserver/comments/{anns[0].pk}/",
        "date": "2026-03-01T09:00:00+00:00",
        "name": "Ann",
        "email": "ann@example.com",
        "url": "https://ann.example.com/",
        "ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 (Ann)",
        "body": "First remark.",
        "status": "approved",
    }
    assert [c["status"] for c in data["comments"]] == ["approved", "approved", "spam"]
    assert "bob@example.com" not in response.content.decode()


def test_export_changes_nothing(editor_client, anns):
    before = list(Comment.objects.values())

    editor_client.post(PRIVACY, {"email": "ann@example.com", "action": "export"})

    assert list(Comment.objects.values()) == before


def test_an_address_with_no_comments_says_so(editor_client, anns):
    response = editor_client.post(PRIVACY, {"email": "nobody@example.com", "action": "export"})

    assert response.status_code == 200
    assert "No comments were written with nobody@example.com." in response.text


def test_a_bad_address_is_refused_with_the_form_kept(editor_client):
    response = editor_client.post(PRIVACY, {"email": "not an address", "action": "anonymise"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert one(page(response), "input[name=email]").attrs["value"] == "not an address"


# Anonymise.


def test_anonymise_asks_first_and_changes_nothing_until_confirmed(editor_client, anns):
    before = list(Comment.objects.values())

    response = editor_client.post(PRIVACY, {"email": "ann@example.com", "action": "anonymise"})

    assert "Anonymise 3 comments written with ann@example.com?" in text_of(
        one(page(response), ".privacy-summary")
    )
    assert len(page(response).select(".privacy-comments li")) == 3
    assert list(Comment.objects.values()) == before


def test_anonymise_keeps_the_text_and_clears_personal_fields(editor_client, anns, bobs_reply):
    response = editor_client.post(
        PRIVACY,
        {"email": "ann@example.com", "action": "anonymise", "confirm": "yes"},
        follow=True,
    )

    assert response.redirect_chain == [(CHANGELIST, 302)]
    assert "3 comments of ann@example.com anonymised." in response.text
    rows = list(
        Comment.objects.filter(pk__in=[c.pk for c in anns]).values(
            "name", "email", "url", "ip", "user_agent", "user", "notify_replies",
            "moderation_reason", "body", "status",
        )
    )  # fmt: skip
    blank = {"name": "Anonymous", "email": "", "url": "", "ip": None, "user_agent": "",
             "user": None, "notify_replies": False, "moderation_reason": ""}  # fmt: skip
    assert rows == [
        {**blank, "body": "First remark.", "status": "approved"},
        {**blank, "body": "Second remark.", "status": "approved"},
        {**blank, "body": "Buy now.", "status": "spam"},
    ]
    bobs_reply.refresh_from_db()
    assert (bobs_reply.name, bobs_reply.email, bobs_reply.parent_id) == (
        "Bob", "bob@example.com", anns[0].pk,
    )  # fmt: skip


def test_anonymised_comments_still_read_on_the_article(client, editor_client, post, anns):
    editor_client.post(
        PRIVACY, {"email": "ann@example.com", "action": "anonymise", "confirm": "yes"}
    )
    editor_client.logout()

    thread = text_of(one(page(client.get(post.get_absolute_url())), "ol.comment-list"))

    assert "First remark." in thread
    assert "Anonymous" in thread
    assert "Ann" not in thread


# Delete.


def test_delete_asks_then_deletes_and_keeps_the_replies(editor_client, anns, bobs_reply):
    asked = editor_client.post(PRIVACY, {"email": "ann@example.com", "action": "delete"})
    assert "Delete 3 comments written with ann@example.com?" in text_of(
        one(page(asked), ".privacy-summary")
    )
    assert Comment.objects.count() == 4

    response = editor_client.post(
        PRIVACY, {"email": "ann@example.com", "action": "delete", "confirm": "yes"}, follow=True
    )

    assert "3 comments of ann@example.com deleted." in response.text
    assert list(Comment.objects.all()) == [bobs_reply]
    bobs_reply.refresh_from_db()
    assert bobs_reply.parent_id is None


def test_the_confirmation_page_posts_what_confirms_it(editor_client, anns):
    asked = editor_client.post(PRIVACY, {"email": "ann@example.com", "action": "delete"})
    form = one(page(asked), "form#comment_privacy_confirm")
    data = {i.attrs["name"]: i.attrs["value"] for i in form.select("input[type=hidden]")}
    data.pop("csrfmiddlewaretoken")

    assert data == {"email": "ann@example.com", "action": "delete", "confirm": "yes"}


# Who may.


@pytest.mark.parametrize("role", [CONTRIBUTOR, AUTHOR])
@pytest.mark.parametrize("action", ["export", "anonymise", "delete"])
def test_contributors_and_authors_are_refused(client, anns, role, action):
    client.force_login(RoleUserFactory(role=role))
    before = list(Comment.objects.values())

    assert client.get(PRIVACY).status_code == 403
    data = {"email": "ann@example.com", "action": action, "confirm": "yes"}
    assert client.post(PRIVACY, data).status_code == 403
    assert list(Comment.objects.values()) == before


def test_who_may_change_but_not_delete_comments_may_export_and_anonymise_only(client, anns):
    user = UserFactory(username="helper", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "change_comment"])
    )
    client.force_login(user)

    choices = [i.attrs["value"] for i in page(client.get(PRIVACY)).select("input[name=action]")]
    assert choices == ["export", "anonymise"]
    refused = client.post(
        PRIVACY, {"email": "ann@example.com", "action": "delete", "confirm": "yes"}
    )
    assert refused.status_code == 403
    assert Comment.objects.count() == 3
    exported = client.post(PRIVACY, {"email": "ann@example.com", "action": "export"})
    assert len(json.loads(exported.content)["comments"]) == 3


# The functions themselves.


def test_functions_match_the_address_whatever_its_case_and_nothing_else(anns, bobs_reply):
    assert privacy.comments_of("").count() == 0
    assert privacy.comments_of("  ANN@EXAMPLE.COM ").count() == 3
    assert privacy.export("nobody@example.com") == []
    assert privacy.export("ann@example.com")[0]["comment_url"].startswith("/")
    assert privacy.anonymise("ANN@example.com") == 3
    assert privacy.anonymise("ann@example.com") == 0
    assert privacy.delete("bob@example.com") == 1
    assert Comment.objects.count() == 3
