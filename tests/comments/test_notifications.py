"""
Comment emails: the post's author hears of new comments, a commenter who opted
in hears of replies once they are approved, and nothing leaves before the
transaction commits.

The receivers are driven by sending ``comment_posted`` as the comment view
does (from ``transaction.on_commit``), plus one test through the real view.
"""

import re

import pytest
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from blog.accounts.roles import AUTHOR, EDITOR
from blog.comments.models import Comment
from blog.comments.signals import comment_posted
from blog.sitesettings.models import SiteSettings
from tests.comments.helpers import post_comment
from tests.factories import CommentFactory, PostFactory, RoleUserFactory

pytestmark = pytest.mark.django_db

MODERATION_LINK = re.compile(r"http://testserver/comments/moderate/[^/\s]+/")


def comment_request():
    return RequestFactory().post("/comments/post/1/", REMOTE_ADDR="203.0.113.7")


def announce(comment, request=None):
    """What the comment view does once the comment is stored."""
    request = request or comment_request()
    transaction.on_commit(
        lambda: comment_posted.send(sender=Comment, comment=comment, request=request)
    )


def link_after(label, body):
    return re.search(rf"^{label}: (\S+)$", body, re.MULTILINE)[1]


@pytest.fixture
def author():
    return RoleUserFactory(
        username="ed", display_name="Ed Itor", email="ed@example.com", role=EDITOR
    )


@pytest.fixture
def post(author):
    return PostFactory(title="WhatsApp crashes", author=author)


@pytest.fixture(autouse=True)
def site_title():
    SiteSettings.objects.create(title="Online Marketing Journal")


def new_comment(post, **fields):
    fields = {
        "post": post,
        "name": "Ann Reader",
        "email": "ann@example.com",
        "url": "https://ann.example.com",
        "body": "Happened to me too, around noon.",
        "ip": "203.0.113.7",
        **fields,
    }
    return CommentFactory(**fields)


# The post's author


def test_author_hears_of_an_approved_comment(post, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = new_comment(post, status=Comment.Status.APPROVED)
        announce(comment)

    (email,) = mailoutbox
    assert email.to == ["ed@example.com"]
    assert email.subject == "[Online Marketing Journal] New comment on “WhatsApp crashes”"
    assert email.reply_to == ["ann@example.com"]
    assert email.content_subtype == "plain"
    body = email.body
    assert "Author: Ann Reader" in body
    assert "Email: ann@example.com" in body
    assert "Website: https://ann.example.com" in body
    assert "IP address: 203.0.113.7" in body
    assert "Happened to me too, around noon." in body
    assert f"http://testserver/comments/{comment.pk}/" in body
    admin_url = reverse("admin:comments_comment_change", args=[comment.pk])
    assert f"http://testserver{admin_url}" in body
    assert "awaiting" not in body
    assert not MODERATION_LINK.search(body)


def test_author_hears_of_a_pending_comment_with_three_signed_links(
    post, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = new_comment(post, status=Comment.Status.PENDING)
        announce(comment)

    (email,) = mailoutbox
    assert email.subject == (
        "[Online Marketing Journal] New comment on “WhatsApp crashes” awaiting your approval"
    )
    assert "is awaiting your approval" in email.body
    links = {
        label: link_after(label, email.body)
        for label in ("Approve it", "Mark it as spam", "Move it to the trash")
    }
    assert all(MODERATION_LINK.fullmatch(link) for link in links.values())
    assert len(set(links.values())) == 3
    assert "once you have confirmed one, none of the three acts again" in email.body
    assert "works for 7 days" in email.body or "work for 7 days" in email.body


def test_the_emails_three_links_act_once_between_them(
    client, post, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = new_comment(post, status=Comment.Status.PENDING)
        announce(comment)
    (email,) = mailoutbox
    assert client.post(link_after("Approve it", email.body)).status_code == 200
    # Unapproved in the queue: back to the status the email was sent for.
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)

    response = client.post(link_after("Move it to the trash", email.body))

    assert response.status_code == 409
    assert "This link was already used." in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_text_in_the_email_is_not_html_escaped(
    post, mailoutbox, django_capture_on_commit_callbacks
):
    post.title = "Tom & Jerry's <b>show</b>"
    post.save()
    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post, name="O'Brien & Co", body='a < b && "quoted"'))

    (email,) = mailoutbox
    assert "“Tom & Jerry's <b>show</b>”" in email.subject
    assert "Author: O'Brien & Co" in email.body
    assert 'a < b && "quoted"' in email.body


def test_site_title_comes_from_the_site_settings(
    post, mailoutbox, django_capture_on_commit_callbacks
):
    SiteSettings.objects.filter(pk=1).update(title="Renamed Blog")

    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post))

    assert mailoutbox[0].subject.startswith("[Renamed Blog] New comment on ")


def test_author_commenting_on_their_own_post_gets_no_email(
    post, author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post, user=author, email=author.email))

    assert mailoutbox == []


def test_a_stranger_typing_the_authors_address_does_not_silence_the_notice(
    post, author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post, email=author.email, status=Comment.Status.PENDING))

    assert [email.to for email in mailoutbox] == [[author.email]]


def test_author_without_an_email_address_gets_nothing(
    post, author, mailoutbox, django_capture_on_commit_callbacks
):
    author.email = ""
    author.save()

    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post))

    assert mailoutbox == []


@pytest.mark.parametrize("status", [Comment.Status.SPAM, Comment.Status.TRASH])
def test_spam_and_trash_are_not_announced(
    post, status, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post, status=status))

    assert mailoutbox == []


def test_author_who_may_not_moderate_gets_no_moderation_links(
    mailoutbox, django_capture_on_commit_callbacks
):
    writer = RoleUserFactory(username="wri", email="wri@example.com", role=AUTHOR)
    post = PostFactory(author=writer, title="Mine")

    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post, status=Comment.Status.PENDING))

    (email,) = mailoutbox
    assert email.subject.endswith("“Mine” awaiting approval")
    assert "awaiting approval by an editor" in email.body
    assert not MODERATION_LINK.search(email.body)
    assert "/admin/" not in email.body


def test_links_are_built_from_the_request_host(
    post, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.ALLOWED_HOSTS = ["blog.example.com"]
    request = RequestFactory().post("/", HTTP_HOST="blog.example.com", secure=True)

    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post, status=Comment.Status.PENDING), request)

    body = mailoutbox[0].body
    assert link_after("Approve it", body).startswith("https://blog.example.com/comments/moderate/")
    assert "https://blog.example.com/comments/" in body


# After the commit, and only then


def test_nothing_is_sent_before_the_transaction_commits(
    post, mailoutbox, django_capture_on_commit_callbacks
):
    comment = new_comment(post)
    # Even a signal sent inside the transaction only queues the email.
    with django_capture_on_commit_callbacks() as callbacks:
        comment_posted.send(sender=Comment, comment=comment, request=comment_request())
    assert mailoutbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mailoutbox) == 1


def test_no_email_when_the_transaction_rolls_back(
    post, mailoutbox, django_capture_on_commit_callbacks
):
    parent = new_comment(post, email="bob@example.com", notify_replies=True)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        reply = new_comment(post, parent=parent, status=Comment.Status.APPROVED)
        announce(reply)
        comment_posted.send(sender=Comment, comment=reply, request=comment_request())
        raise RuntimeError("the view failed after storing the comment")

    assert callbacks == []
    assert mailoutbox == []


def test_a_failing_mail_server_does_not_break_the_commit(
    post, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post))

    assert mailoutbox == []
    assert "no mail server" in caplog.text


# Replies


@pytest.fixture
def parent(post):
    return new_comment(
        post, name="Bob", email="Bob@Example.com", notify_replies=True, body="First!"
    )


def reply_emails(mailoutbox, to="Bob@Example.com"):
    return [email for email in mailoutbox if email.to == [to]]


def test_opted_in_commenter_hears_of_an_approved_reply(
    post, parent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = new_comment(
            post, parent=parent, status=Comment.Status.APPROVED, body="Same here, Bob."
        )
        announce(reply)

    (email,) = reply_emails(mailoutbox)
    assert email.subject == (
        "[Online Marketing Journal] New reply to your comment on “WhatsApp crashes”"
    )
    assert "Ann Reader replied to your comment on “WhatsApp crashes”" in email.body
    assert "Same here, Bob." in email.body
    assert f"http://testserver/comments/{reply.pk}/" in email.body
    # The replier's address is theirs alone.
    assert "ann@example.com" not in email.body
    assert email.reply_to == []
    unsubscribe = re.search(r"http://testserver/comments/unsubscribe/\S+/", email.body)[0]
    assert email.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The post's author hears of it too, separately.
    assert [e.to for e in mailoutbox if e is not email] == [["ed@example.com"]]


def test_no_reply_email_without_the_opt_in(
    post, parent, mailoutbox, django_capture_on_commit_callbacks
):
    Comment.objects.filter(pk=parent.pk).update(notify_replies=False)
    parent.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post, parent=parent, status=Comment.Status.APPROVED))

    assert reply_emails(mailoutbox) == []


def test_no_reply_email_to_someone_answering_themselves(
    post, parent, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        announce(new_comment(post, parent=parent, email="bob@example.COM"))

    assert reply_emails(mailoutbox) == []


def test_pending_reply_is_told_only_once_approved_and_only_once(
    post, parent, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.BLOG_SITE_URL = "https://blog.example.com/"
    with django_capture_on_commit_callbacks(execute=True):
        reply = new_comment(post, parent=parent, status=Comment.Status.PENDING)
        announce(reply)
    assert reply_emails(mailoutbox) == []

    with django_capture_on_commit_callbacks(execute=True):
        reply.status = Comment.Status.APPROVED
        reply.save()
    (email,) = reply_emails(mailoutbox)
    # Outside a request, links start with BLOG_SITE_URL.
    assert f"https://blog.example.com/comments/{reply.pk}/" in email.body
    assert "https://blog.example.com/comments/unsubscribe/" in email.body

    with django_capture_on_commit_callbacks(execute=True):
        reply.body = "Edited after approval."
        reply.save()
        reply.save(update_fields=["status"])
    assert len(reply_emails(mailoutbox)) == 1


def test_approving_a_reply_in_a_rolled_back_transaction_sends_nothing(
    post, parent, mailoutbox, django_capture_on_commit_callbacks
):
    reply = new_comment(post, parent=parent, status=Comment.Status.PENDING)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        reply.status = Comment.Status.APPROVED
        reply.save()
        raise RuntimeError

    assert mailoutbox == []


def test_no_reply_email_when_the_parent_is_no_longer_approved(
    post, parent, mailoutbox, django_capture_on_commit_callbacks
):
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.SPAM)
    reply = new_comment(post, parent=parent, status=Comment.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        reply.status = Comment.Status.APPROVED
        reply.save()

    assert reply_emails(mailoutbox) == []


def test_top_level_comments_and_creations_send_no_reply_email(
    post, parent, mailoutbox, django_capture_on_commit_callbacks
):
    # Rows made outside the comment view (imports, fixtures) announce nothing.
    with django_capture_on_commit_callbacks(execute=True):
        new_comment(post, parent=parent, status=Comment.Status.APPROVED)
        top = new_comment(post, status=Comment.Status.PENDING)
        top.status = Comment.Status.APPROVED
        top.save()

    assert mailoutbox == []


# Through the real comment view


def test_posting_through_the_comment_form_emails_the_author(
    client, post, mailoutbox, django_capture_on_commit_callbacks
):
    """
    End to end: needs the comment view to send ``comment_posted`` (the form
    and view's part of the contract). It fails, rather than skips, without it.
    """
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, post, ip="203.0.113.9", body="Through the real form.")

    assert response.status_code == 302
    comment = Comment.objects.get()
    (email,) = mailoutbox
    assert email.to == ["ed@example.com"]
    assert email.subject.startswith("[Online Marketing Journal] New comment on “WhatsApp crashes”")
    assert "Through the real form." in email.body
    assert "IP address: 203.0.113.9" in email.body
    assert f"/comments/{comment.pk}/" in email.body


def test_whole_story_through_the_real_views(
    client, post, mailoutbox, django_capture_on_commit_callbacks
):
    """
    Bob comments and asks for replies; the author approves him from the email;
    Ann replies; once the author approves her from the email, Bob hears of it
    and unsubscribes in one click from his mail program.
    """

    def approve_from_latest_email():
        approve = link_after("Approve it", mailoutbox[-1].body)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(approve).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(
            client, post, name="Bob", email="bob@example.com", body="First!", notify_replies="on"
        )
    bob = Comment.objects.get()
    assert bob.notify_replies
    assert bob.status == Comment.Status.PENDING, "a first-time commenter waits for approval"
    approve_from_latest_email()
    bob.refresh_from_db()
    assert bob.status == Comment.Status.APPROVED

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, post, ip="203.0.113.8", parent=str(bob.pk), body="Hi Bob.")
    ann = Comment.objects.get(parent=bob)
    assert ann.status == Comment.Status.PENDING
    assert [email.to for email in mailoutbox] == [["ed@example.com"], ["ed@example.com"]]

    approve_from_latest_email()

    assert mailoutbox[-1].to == ["bob@example.com"]
    assert "Hi Bob." in mailoutbox[-1].body
    unsubscribe = mailoutbox[-1].extra_headers["List-Unsubscribe"].strip("<>")
    # Opening it asks; the mail program's one-click POST unsubscribes.
    assert client.get(unsubscribe).status_code == 200
    bob.refresh_from_db()
    assert bob.notify_replies
    assert client.post(unsubscribe, {"List-Unsubscribe": "One-Click"}).status_code == 200
    bob.refresh_from_db()
    assert not bob.notify_replies
