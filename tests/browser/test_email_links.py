"""
The links in comment emails, opened and confirmed in Chromium as people
click them from their inbox (logged out, on a fresh browser).

A reader replies to Bob's comment and waits for moderation; the post's
author opens the email's Approve link and confirms; Bob hears of the reply
and opens its unsubscribe link and confirms. Django's test client sends no
``Origin``, so only a real browser shows whether the confirming POSTs pass
the CSRF check: with ``Referrer-Policy: no-referrer`` Chromium sent
``Origin: null`` and the approval answered 403.
"""

import re

import pytest
from playwright.sync_api import expect

from blog.accounts.roles import EDITOR
from blog.comments.models import Comment
from tests.browser.helpers import watch
from tests.factories import CommentFactory, PostFactory, RoleUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Notes from the night ferry"
REPLY = "The 06:10 back was calm too, Bob."


@pytest.fixture
def fresh_page(browser):
    """Pages in new browser contexts: no cookies, no session, nobody logged in."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        origins = []
        page.on(
            "request",
            lambda request: (
                origins.append(request.headers.get("origin")) if request.method == "POST" else None
            ),
        )
        return page, watch(page), origins

    yield open_page
    for context in contexts:
        context.close()


def link_after(label, body):
    return re.search(rf"^{label}: (\S+)$", body, re.MULTILINE)[1]


def test_moderation_and_unsubscribe_links_confirmed_in_chromium(
    live_server, fresh_page, settings, mailoutbox, screenshot_dir
):
    # A robot types faster than the anti-spam minimum a person takes.
    settings.BLOG_COMMENT_MIN_SECONDS = 0
    # Emails sent outside a request (the reply's, on approval) link here.
    settings.BLOG_SITE_URL = live_server.url
    author = RoleUserFactory(username="olga", email="olga@example.com", role=EDITOR)
    post = PostFactory(title=TITLE, author=author)
    bob = CommentFactory(
        post=post, name="Bob", email="bob@example.com", notify_replies=True, body="Calm night."
    )

    # A reader replies to Bob; a first comment waits for approval.
    reader, reader_errors, _ = fresh_page()
    reader.goto(f"{live_server.url}{post.get_absolute_url()}?replytocom={bob.pk}#respond")
    reader.get_by_label("Name").fill("Ada Reader")
    reader.get_by_role("textbox", name="Email").fill("ada@example.com")
    reader.get_by_role("textbox", name="Comment").fill(REPLY)
    reader.get_by_role("button", name="Post Comment").click()
    expect(reader.locator(".messages")).to_contain_text("Your comment is awaiting moderation.")
    reply = Comment.objects.get(name="Ada Reader")
    assert (reply.parent, reply.status) == (bob, Comment.Status.PENDING)

    # The author, logged out, opens the emailed Approve link and confirms.
    (notice,) = mailoutbox
    assert notice.to == ["olga@example.com"]
    approve = link_after("Approve it", notice.body)
    assert approve.startswith(f"{live_server.url}/comments/moderate/")
    inbox, inbox_errors, inbox_origins = fresh_page()
    inbox.goto(approve)
    expect(inbox.locator("h1")).to_have_text(f"Approve this comment by Ada Reader on “{TITLE}”?")
    expect(inbox.locator("blockquote.comment-body")).to_have_text(REPLY)
    inbox.screenshot(path=screenshot_dir / "email-link-approve-1280.png", full_page=True)
    reply.refresh_from_db()
    assert reply.status == Comment.Status.PENDING, "opening the link changes nothing"
    inbox.get_by_role("button", name="Approve").click()
    expect(inbox.locator("h1")).to_have_text("Done.")
    expect(inbox.locator("main")).to_contain_text("The comment is approved and shown on the post.")
    # The browser said where the form was, and the CSRF check accepted it.
    assert inbox_origins == [live_server.url]
    reply.refresh_from_db()
    assert reply.status == Comment.Status.APPROVED
    assert reply.moderation_reason == "Approved by olga from the email link."

    # The same email's other links are spent, even once the comment is back
    # in the queue's Pending view.
    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.PENDING)
    spent, _, _ = fresh_page()
    spent.goto(link_after("Move it to the trash", notice.body))
    expect(spent.locator("h1")).to_have_text("This link was already used.")
    expect(spent.locator("form.moderation-form")).to_have_count(0)
    reply.refresh_from_db()
    assert reply.status == Comment.Status.PENDING
    Comment.objects.filter(pk=reply.pk).update(status=Comment.Status.APPROVED)

    # Bob heard of the approved reply, with a one-click unsubscribe link.
    (to_bob,) = [email for email in mailoutbox if email.to == ["bob@example.com"]]
    assert REPLY in to_bob.body
    unsubscribe = to_bob.extra_headers["List-Unsubscribe"].strip("<>")
    assert to_bob.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in to_bob.body
    assert unsubscribe.startswith(f"{live_server.url}/comments/unsubscribe/")

    # Bob opens it: a question first (mail scanners open links too) ...
    bobs, bob_errors, bob_origins = fresh_page()
    bobs.goto(unsubscribe)
    expect(bobs.locator("h1")).to_have_text("Stop emails about replies?")
    bobs.screenshot(path=screenshot_dir / "email-link-unsubscribe-1280.png", full_page=True)
    bob.refresh_from_db()
    assert bob.notify_replies
    # ... then his click unsubscribes him.
    bobs.get_by_role("button", name="Unsubscribe").click()
    expect(bobs.locator("h1")).to_have_text("You are unsubscribed.")
    expect(bobs.locator("main")).to_contain_text(f"replies to your comments on “{TITLE}”")
    assert bob_origins == [live_server.url]
    bob.refresh_from_db()
    assert not bob.notify_replies

    assert reader_errors == []
    assert inbox_errors == []
    assert bob_errors == []
