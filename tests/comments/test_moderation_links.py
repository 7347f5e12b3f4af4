"""
The signed links in comment emails: moderation links ask on GET and act on a
POST, expire after 7 days, are refused once the comment was handled, and the
three links of one email act once between them; the unsubscribe link asks on
GET and unsubscribes on a POST (its page's button, or a mail program's
one-click POST), as often as it is followed.
"""

import datetime

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog.accounts.roles import AUTHOR, EDITOR
from blog.comments import moderation_links
from blog.comments.models import Comment, ModerationLinkUse
from blog.comments.moderation_links import moderation_path, moderation_paths, unsubscribe_path
from tests.factories import CommentFactory, PostFactory, RoleUserFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return RoleUserFactory(username="ed", email="ed@example.com", role=EDITOR)


@pytest.fixture
def post(editor):
    return PostFactory(title="WhatsApp crashes", author=editor)


@pytest.fixture
def comment(post):
    return CommentFactory(
        post=post,
        name="Ann Reader",
        body="Happened to me too & more.",
        status=Comment.Status.PENDING,
    )


def status_of(comment):
    comment.refresh_from_db()
    return comment.status


# Asking, then doing


def test_get_shows_a_confirmation_and_changes_nothing(client, comment, editor):
    url = moderation_path(comment, "approve", editor)

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
    assert client.head(url).status_code == 200

    assert status_of(comment) == Comment.Status.PENDING
    html = page(response)
    assert text_of(one(html, "h1")) == ("Approve this comment by Ann Reader on “WhatsApp crashes”?")
    # The comment's cached, sanitised HTML, as on the article.
    assert text_of(one(html, "blockquote.comment-body p")) == "Happened to me too & more."
    form = one(html, "form.moderation-form")
    assert form.attrs["method"] == "post"
    assert form.select("input[name=csrfmiddlewaretoken]")
    assert text_of(one(form, "button")) == "Approve"
    assert one(html, "meta[name=robots]").attrs["content"] == "noindex"
    # Nor does it offer its token address as canonical, or as a link card.
    assert not html.select('link[rel="canonical"], meta[property^="og:"]')
    assert "no-cache" in response["Cache-Control"]
    # The token is in the address: links in the comment to other sites must
    # not carry it away, but the page's own POST must keep its Origin (with
    # no-referrer Chromium sends "Origin: null", which the CSRF check refuses).
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("action", "status", "reason", "done"),
    [
        ("approve", "approved", "Approved by {} from the email link.", "is approved"),
        ("spam", "spam", "Marked as spam by {} from the email link.", "marked as spam"),
        ("trash", "trash", "Moved to the trash by {} from the email link.", "is in the trash"),
    ],
)
def test_post_applies_the_action(comment, editor, action, status, reason, done):
    # As a browser posts the confirmation page's form: CSRF checks on, and
    # the Origin a same-origin referrer policy lets it send.
    browser = Client(enforce_csrf_checks=True)
    url = moderation_path(comment, action, editor)
    before = comment.status_changed_at
    confirmation = browser.get(url)

    response = browser.post(
        url, form_data(confirmation, "form.moderation-form"), HTTP_ORIGIN="http://testserver"
    )

    assert response.status_code == 200
    assert done in text_of(one(page(response), "main"))
    comment.refresh_from_db()
    assert comment.status == status
    # The status function's reason names the moderator the link was sent to.
    assert comment.moderation_reason == reason.format(editor.public_name)
    assert comment.status_changed_at > before


def test_post_without_the_csrf_token_is_refused(comment, editor):
    response = Client(enforce_csrf_checks=True).post(moderation_path(comment, "approve", editor))

    assert response.status_code == 403
    assert status_of(comment) == Comment.Status.PENDING


def test_approved_page_links_to_the_comment(client, comment, editor):
    response = client.post(moderation_path(comment, "approve", editor))

    assert page(response).select(f'a[href="{comment.get_absolute_url()}"]')


def test_no_login_is_needed(client, comment, editor):
    # The signature is the authority: the person reading the email may be
    # on their phone, logged out.
    response = client.post(moderation_path(comment, "spam", editor))

    assert response.status_code == 200
    assert status_of(comment) == Comment.Status.SPAM


# Refusals


def test_expired_link_is_refused_after_7_days(client, comment, editor):
    url = moderation_path(comment, "approve", editor)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert client.get(url).status_code == 200

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 410
            assert text_of(one(page(response), "h1")) == "This link has expired."
            assert "work for 7 days" in response.text

    assert status_of(comment) == Comment.Status.PENDING


def tampered(url, old, new):
    """The link with its payload rewritten (``old`` to ``new``), its signature cut, or junk."""
    token = url.split("/")[-2]
    payload, timestamp, signature = token.split(":")
    forged = signing.b64_encode(signing.b64_decode(payload.encode()).replace(old, new)).decode()
    assert forged != payload
    return [
        url.replace(token, f"{forged}:{timestamp}:{signature}"),
        url.replace(token, f"{payload}:{timestamp}:{signature[:-2]}xx"),
        url.replace(token, "not-a-token"),
    ]


def test_tampered_link_is_refused(client, comment, editor):
    for url in tampered(moderation_path(comment, "approve", editor), b'"approve"', b'"trash"'):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400, url
            assert text_of(one(page(response), "h1")) == "This link is not valid."

    assert status_of(comment) == Comment.Status.PENDING


def test_a_token_signed_for_something_else_is_refused(client, comment, editor):
    unsubscribe_token = unsubscribe_path(comment).split("/")[-2]
    other_salt = signing.dumps(
        {"c": comment.pk, "a": "approve", "s": "pending", "u": editor.pk}, salt="other"
    )
    for token in (unsubscribe_token, other_salt):
        url = reverse("comments:moderate", kwargs={"token": token})
        assert client.post(url).status_code == 400

    assert status_of(comment) == Comment.Status.PENDING


def test_replayed_link_after_the_status_changed_is_already_handled(client, comment, editor):
    approve = moderation_path(comment, "approve", editor)
    spam = moderation_path(comment, "spam", editor)
    assert client.post(approve).status_code == 200

    for url in (approve, spam):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 409
            assert text_of(one(page(response), "h1")) == "This comment was already handled."
            assert "now approved" in response.text

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderation_reason == f"Approved by {editor.public_name} from the email link."


# Once per email


def test_an_emails_links_act_once_whatever_happens_to_the_comment_afterwards(
    client, comment, editor
):
    # The attack's sequence: approve by link, unapprove in the queue, then
    # the same email's trash link, or the approve link again.
    links = moderation_paths(comment, editor)
    assert client.post(links["approve"]).status_code == 200
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)

    for url in links.values():
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 409
            assert text_of(one(page(response), "h1")) == "This link was already used."
            assert "The comment is now pending" in response.text

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == f"Approved by {editor.public_name} from the email link."


def test_the_use_is_recorded_with_the_status_change(client, comment, editor):
    links = moderation_paths(comment, editor)

    client.post(links["spam"])

    (use,) = ModerationLinkUse.objects.all()
    assert (use.comment, use.action) == (comment, "spam")
    # Another email's links about the same comment are its own.
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    assert client.post(moderation_path(comment, "approve", editor)).status_code == 200
    assert status_of(comment) == Comment.Status.APPROVED


def test_uses_are_forgotten_once_their_links_have_expired(client, post, comment, editor):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=8)):
        old_link = moderation_path(comment, "approve", editor)
        assert client.post(old_link).status_code == 200
    newer = CommentFactory(post=post, body="Another one.", status=Comment.Status.PENDING)

    assert client.post(moderation_path(newer, "approve", editor)).status_code == 200

    assert [use.comment for use in ModerationLinkUse.objects.all()] == [newer]
    # The forgotten link has expired in any case.
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    assert client.post(old_link).status_code == 410


def test_a_use_recorded_while_the_link_was_checked_wins(client, comment, editor, monkeypatch):
    # Two of the email's links confirmed at the same moment on a database
    # without row locks: the other's use commits after this one's check.
    links = moderation_paths(comment, editor)
    token = links["approve"].split("/")[-2]
    nonce = signing.loads(token, salt=moderation_links.MODERATION_SALT)["n"]
    ModerationLinkUse.objects.create(nonce=nonce, comment=comment, action="spam")
    check = moderation_links._comment_for
    monkeypatch.setattr(
        moderation_links,
        "_comment_for",
        lambda data, **kwargs: check({**data, "n": "not yet there"}, **kwargs),
    )

    response = client.post(links["approve"])

    assert response.status_code == 409
    assert text_of(one(page(response), "h1")) == "This link was already used."
    assert status_of(comment) == Comment.Status.PENDING


def test_a_refused_link_records_no_use(client, comment, editor):
    links = moderation_paths(comment, editor)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.TRASH)

    assert client.post(links["approve"]).status_code == 409

    assert not ModerationLinkUse.objects.exists()


def test_a_link_sent_before_links_carried_a_nonce_acts_once(client, comment, editor):
    token = signing.dumps(
        {"c": comment.pk, "a": "approve", "s": "pending", "u": editor.pk},
        salt=moderation_links.MODERATION_SALT,
    )
    url = reverse("comments:moderate", kwargs={"token": token})
    assert client.post(url).status_code == 200
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)

    response = client.post(url)

    assert response.status_code == 409
    assert text_of(one(page(response), "h1")) == "This link was already used."
    assert status_of(comment) == Comment.Status.PENDING


def test_link_is_refused_once_someone_else_moderated_in_the_admin(client, comment, editor):
    url = moderation_path(comment, "approve", editor)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.TRASH)

    assert client.post(url).status_code == 409
    assert status_of(comment) == Comment.Status.TRASH


def test_link_of_a_deleted_comment(client, comment, editor):
    url = moderation_path(comment, "approve", editor)
    comment.delete()

    response = client.post(url)

    assert response.status_code == 404
    assert "no longer exists" in response.text


def test_link_stops_working_when_its_recipient_may_no_longer_moderate(client, comment, editor):
    url = moderation_path(comment, "approve", editor)
    editor.is_active = False
    editor.save()

    assert client.post(url).status_code == 403
    assert status_of(comment) == Comment.Status.PENDING


def test_link_made_for_someone_who_may_not_moderate_is_refused(client, comment):
    writer = RoleUserFactory(username="wri", role=AUTHOR)

    assert client.post(moderation_path(comment, "approve", writer)).status_code == 403
    assert status_of(comment) == Comment.Status.PENDING


def test_only_get_head_and_post(client, comment, editor):
    assert client.put(moderation_path(comment, "approve", editor)).status_code == 405


def test_unknown_action_cannot_be_made():
    with pytest.raises(ValueError, match="Unknown moderation action"):
        moderation_path(Comment(pk=1), "delete", RoleUserFactory.build(pk=1))


def test_links_expire_after_a_week():
    assert datetime.timedelta(days=7) == moderation_links.MODERATION_MAX_AGE


# Unsubscribing


@pytest.fixture
def subscribed(post):
    return CommentFactory(post=post, email="Bob@example.com", notify_replies=True)


def unsubscribe(client, url):
    """The confirmation page, then its button, as a browser does."""
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    return client.post(url, form_data(confirmation, "form.unsubscribe-form"))


def test_opening_the_unsubscribe_link_asks_and_changes_nothing(client, subscribed):
    # Mail scanners and link previews open every link in an email.
    url = unsubscribe_path(subscribed)

    for response in (client.get(url), client.get(url), client.head(url)):
        assert response.status_code == 200
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-cache" in response["Cache-Control"]

    html = page(client.get(url))
    assert text_of(one(html, "h1")) == "Stop emails about replies?"
    assert "“WhatsApp crashes”" in text_of(one(html, "main"))
    form = one(html, "form.unsubscribe-form")
    assert form.attrs["method"] == "post"
    assert text_of(one(form, "button")) == "Unsubscribe"
    assert one(html, "meta[name=robots]").attrs["content"] == "noindex"
    subscribed.refresh_from_db()
    assert subscribed.notify_replies


def test_confirming_unsubscribes_and_again_changes_nothing_more(subscribed):
    browser = Client(enforce_csrf_checks=True)
    url = unsubscribe_path(subscribed)

    for _ in range(2):
        response = unsubscribe(browser, url)
        assert response.status_code == 200
        assert text_of(one(page(response), "h1")) == "You are unsubscribed."
        assert response["Referrer-Policy"] == "same-origin"
        assert "“WhatsApp crashes”" in text_of(one(page(response), "main"))
        subscribed.refresh_from_db()
        assert not subscribed.notify_replies


def test_unsubscribe_covers_the_commenters_other_comments_on_the_post(client, post, subscribed):
    again = CommentFactory(post=post, email="bob@EXAMPLE.com", notify_replies=True)
    elsewhere = CommentFactory(email="bob@example.com", notify_replies=True)
    someone_else = CommentFactory(post=post, email="cy@example.com", notify_replies=True)

    unsubscribe(client, unsubscribe_path(subscribed))

    assert list(
        Comment.objects.filter(notify_replies=True).order_by("pk").values_list("pk", flat=True)
    ) == [elsewhere.pk, someone_else.pk]
    again.refresh_from_db()
    assert not again.notify_replies


def test_one_click_post_from_a_mail_program_needs_no_csrf_token(subscribed):
    # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" to the
    # link, from no page of this site (no Origin of ours, no cookie).
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(subscribed), {"List-Unsubscribe": "One-Click"}, HTTP_ORIGIN="null"
    )

    assert response.status_code == 200
    subscribed.refresh_from_db()
    assert not subscribed.notify_replies


def test_tampered_unsubscribe_link_is_refused(client, post, subscribed):
    other = CommentFactory(post=post, notify_replies=True)
    old, new = f'"c":{subscribed.pk}'.encode(), f'"c":{other.pk}'.encode()
    for url in tampered(unsubscribe_path(subscribed), old, new):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert text_of(one(page(response), "h1")) == "This link is not valid."

    assert Comment.objects.filter(notify_replies=True).count() == 2


def test_unsubscribe_link_does_not_expire(client, subscribed):
    url = unsubscribe_path(subscribed)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=3650)):
        assert unsubscribe(client, url).status_code == 200

    subscribed.refresh_from_db()
    assert not subscribed.notify_replies


def test_unsubscribe_link_of_a_deleted_comment_still_answers(client, subscribed):
    url = unsubscribe_path(subscribed)
    subscribed.delete()

    response = unsubscribe(client, url)

    assert response.status_code == 200
    assert "no more emails" in response.text
