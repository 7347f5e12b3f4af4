"""
The discussion rules, applied in WordPress's order to comments posted through
the real view, each decision recording its reason.
"""

import pytest
from django.test import Client

from blog.accounts.roles import AUTHOR, EDITOR
from blog.comments.models import Comment
from blog.comments.moderation import Moderator, count_links
from blog.comments.signals import comment_posted
from tests.comments.helpers import post_comment
from tests.factories import CommentFactory, PostFactory, RoleUserFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db

Status = Comment.Status
FIRST_COMMENT = "First comment from this commenter: held for approval."
PASSED = "Passed every discussion rule."


@pytest.fixture
def post():
    return PostFactory(title="WhatsApp crashes")


@pytest.fixture
def known_reader():
    """Ann Reader has an approved comment elsewhere, so prior approval lets her through."""
    return CommentFactory(name="Ann Reader", email="ann@example.com", post=PostFactory())


def stored(post):
    comment = Comment.objects.filter(post=post).latest("pk")
    return comment.status, comment.moderation_reason


def post_and_decide(client, post, **fields):
    response = post_comment(client, post, **fields)
    assert response.status_code == 302
    return stored(post)


def test_the_rules_run_in_wordpress_order():
    assert Moderator.rules == (
        "posted_by_moderator",
        "disallowed_keys",
        "manual_approval",
        "moderation_keys",
        "too_many_links",
        "prior_approval",
    )


# Prior approval (the last rule) and the default


def test_a_first_time_commenter_waits_for_approval(client, post):
    assert post_and_decide(client, post) == (Status.PENDING, FIRST_COMMENT)


def test_a_commenter_with_an_approved_comment_is_approved(client, post, known_reader):
    assert post_and_decide(client, post) == (Status.APPROVED, PASSED)


def test_prior_approval_matches_name_and_email_ignoring_case(client, post, known_reader):
    assert post_and_decide(client, post, name="ann reader", email="ANN@example.com") == (
        Status.APPROVED,
        PASSED,
    )


@pytest.mark.parametrize(
    "fields", [{"name": "Ann Other"}, {"email": "other@example.com"}], ids=["name", "email"]
)
def test_prior_approval_needs_the_same_name_and_email(client, post, known_reader, fields):
    assert post_and_decide(client, post, **fields) == (Status.PENDING, FIRST_COMMENT)


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.TRASH])
def test_only_an_approved_comment_counts_as_prior_approval(client, post, status):
    CommentFactory(name="Ann Reader", email="ann@example.com", status=status)

    assert post_and_decide(client, post) == (Status.PENDING, FIRST_COMMENT)


def test_a_logged_in_reader_with_an_approved_comment_is_approved(client, post):
    user = RoleUserFactory(username="rita", display_name="Rita")
    CommentFactory(user=user, name="Rita (old name)", email="old@example.com")
    client.force_login(user)

    assert post_and_decide(client, post) == (Status.APPROVED, PASSED)


def test_without_the_prior_approval_rule_comments_are_approved(client, post, discussion):
    discussion(comment_require_prior_approval=False)

    assert post_and_decide(client, post) == (Status.APPROVED, PASSED)


# Links


def test_more_links_than_allowed_wait_for_approval(client, post, known_reader):
    body = "See https://a.example and https://b.example and <a href='https://c.example'>c</a>"

    assert post_and_decide(client, post, body=body) == (
        Status.PENDING,
        "3 links (more than 2).",
    )


def test_as_many_links_as_allowed_pass(client, post, known_reader):
    body = "See https://a.example and <a href='https://b.example'>b</a>"

    assert post_and_decide(client, post, body=body) == (Status.APPROVED, PASSED)


def test_bare_domains_count_as_links_and_the_limit_is_a_setting(
    client, post, known_reader, discussion
):
    discussion(comment_max_links=0)

    assert post_and_decide(client, post, body="Try www.example.com today") == (
        Status.PENDING,
        "1 link (more than 0).",
    )


@pytest.mark.parametrize(
    ("body", "links"),
    [
        ("No links at all", 0),
        ("https://a.example.com/x and www.example.org", 2),
        ("<a href='https://a.example.com'>https://a.example.com</a>", 1),
        ("http://spam.xyz https://198.51.100.7/ HTTPS://c.example", 3),
        ("<a href='javascript:alert(1)'>x</a> <a>no href</a>", 0),
    ],
)
def test_link_count(body, links):
    assert count_links(body) == links


def test_an_anchor_the_sanitiser_empties_is_not_a_link(client, post, known_reader, discussion):
    discussion(comment_max_links=0)

    body = "<a href='javascript:alert(1)'>x</a>"
    assert post_and_decide(client, post, body=body) == (Status.APPROVED, PASSED)


# Moderation words


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"body": "Cheap CASINO chips"}, "text"),
        ({"name": "Casino Carl"}, "name"),
        ({"email": "carl@casino.example"}, "email"),
        ({"url": "https://casino.example"}, "website"),
    ],
)
def test_a_moderation_word_holds_the_comment(client, post, known_reader, discussion, fields, where):
    discussion(comment_moderation_keys="poker\n  casino  \n")

    assert post_and_decide(client, post, **fields) == (
        Status.PENDING,
        f"Moderation word “casino” in the {where}.",
    )


def test_moderation_words_match_the_ip_and_the_user_agent(client, post, known_reader, discussion):
    discussion(comment_moderation_keys="203.0.113.")
    assert post_and_decide(client, post) == (
        Status.PENDING,
        "Moderation word “203.0.113.” in the IP address.",
    )

    discussion(comment_moderation_keys="testbrowser")
    assert post_and_decide(client, post, body="Another remark") == (
        Status.PENDING,
        "Moderation word “testbrowser” in the user agent.",
    )


def test_a_moderation_word_comes_before_the_link_count(client, post, known_reader, discussion):
    discussion(comment_moderation_keys="casino", comment_max_links=0)

    assert post_and_decide(client, post, body="casino at https://a.example") == (
        Status.PENDING,
        "Moderation word “casino” in the text.",
    )


# Manual approval


def test_manual_approval_holds_every_comment(client, post, known_reader, discussion):
    discussion(comment_manual_approval=True, comment_moderation_keys="casino")

    assert post_and_decide(client, post, body="casino") == (
        Status.PENDING,
        "Every comment must be manually approved.",
    )


# Disallowed words


@pytest.mark.parametrize("action", [Status.TRASH, Status.SPAM])
def test_a_disallowed_word_sends_the_comment_where_the_settings_say(
    client, post, known_reader, discussion, action
):
    discussion(comment_disallowed_keys="viagra", comment_disallowed_action=action)

    assert post_and_decide(client, post, body="Buy ViAgRa now") == (
        action,
        "Disallowed word “viagra” in the text.",
    )


def test_a_disallowed_ip_is_refused(client, post, discussion):
    discussion(comment_disallowed_keys="198.51.100.66")

    response = post_comment(client, post, ip="198.51.100.66")

    assert response.status_code == 302
    assert stored(post) == (Status.TRASH, "Disallowed word “198.51.100.66” in the IP address.")


def test_a_disallowed_word_wins_over_every_later_rule(client, post, discussion):
    discussion(
        comment_disallowed_keys="viagra",
        comment_manual_approval=True,
        comment_moderation_keys="viagra\ncasino",
    )

    assert post_and_decide(client, post, body="casino viagra") == (
        Status.TRASH,
        "Disallowed word “viagra” in the text.",
    )


def test_a_disallowed_comment_is_neither_shown_nor_remembered_but_gets_the_usual_answer(
    client, post, discussion
):
    discussion(comment_disallowed_keys="viagra")

    response = post_comment(client, post, body="viagra")
    followed = client.get(response["Location"])

    assert response["Location"] == f"{post.get_absolute_url()}#comments"
    assert text_of(one(page(followed), "div.messages")) == "Your comment is awaiting moderation."
    assert page(followed).select("li.comment") == []
    assert "own_pending_comments" not in client.session


# Moderators


def test_an_editors_comment_is_approved_before_any_rule(client, post, discussion):
    discussion(comment_disallowed_keys="viagra", comment_manual_approval=True)
    client.force_login(RoleUserFactory(username="ed", role=EDITOR))

    assert post_and_decide(client, post, body="viagra") == (
        Status.APPROVED,
        "Posted by a moderator.",
    )


def test_an_editors_reply_is_approved(client, post):
    parent = CommentFactory(post=post)
    client.force_login(RoleUserFactory(username="ed", role=EDITOR))

    post_comment(client, post, parent=str(parent.pk), body="Thanks for writing")

    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.moderation_reason) == (Status.APPROVED, "Posted by a moderator.")


def test_an_author_is_not_a_moderator(client, post):
    client.force_login(RoleUserFactory(username="al", role=AUTHOR))

    assert post_and_decide(client, post) == (Status.PENDING, FIRST_COMMENT)


# The signal


def test_comment_posted_is_sent_once_the_comment_is_stored(
    client, post, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, comment, request, **kwargs):
        received.append((sender, comment.pk, comment.status, request.path))

    comment_posted.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post_comment(client, post)
    finally:
        comment_posted.disconnect(receiver)

    comment = Comment.objects.get()
    assert received == [(Comment, comment.pk, Status.PENDING, f"/comments/post/{post.pk}/")]


def test_comment_posted_is_not_sent_for_a_refused_comment(
    client, post, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        post_comment(client, post, homepage="spam")

    assert callbacks == []


def test_a_failing_receiver_does_not_fail_the_reader(
    client, post, caplog, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("mail server down")

    comment_posted.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = post_comment(Client(), post)
    finally:
        comment_posted.disconnect(broken)

    assert response.status_code == 302
    assert Comment.objects.count() == 1
    assert "mail server down" in caplog.text
