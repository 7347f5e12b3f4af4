"""
Posting at the same instant through the real view, each request on its own
database connection: twenty readers' comments are all stored and the article
counts them exactly; ten identical comments store one. Runs in the PostgreSQL
pass of ``make test``; SQLite serialises writers, so it proves nothing there.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from blog.comments.forms import DUPLICATE
from blog.comments.models import Comment
from tests.comments.helpers import SAME_ORIGIN, comment_data, comment_url
from tests.factories import CommentFactory, PostFactory
from tests.helpers import one, page, text_of

pytestmark = pytest.mark.django_db(transaction=True)

READERS = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent posting needs PostgreSQL (set DATABASE_URL); "
            "SQLite takes one writer at a time"
        )


def test_twenty_comments_posted_at_once_are_all_stored_and_counted(real_cache):
    post = PostFactory(title="WhatsApp crashes")
    readers = [(f"Reader {n}", f"reader{n}@example.com") for n in range(READERS)]
    # Each reader has an approved comment elsewhere, so prior approval lets
    # the new ones straight through and the article's count must include them.
    for name, email in readers:
        CommentFactory(post=PostFactory(), name=name, email=email)
    barrier = threading.Barrier(READERS, timeout=30)
    answers = [None] * READERS
    errors = []

    def reader(n):
        try:
            name, email = readers[n]
            data = comment_data(post, name=name, email=email, body=f"Comment number {n}")
            client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
            barrier.wait()
            answers[n] = client.post(comment_url(post), data).status_code
        except Exception as error:  # Reported by the main thread, with the others'.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert answers == [302] * READERS
    stored = Comment.objects.filter(post=post)
    assert stored.count() == READERS
    assert set(stored.values_list("status", flat=True)) == {Comment.Status.APPROVED}
    assert {c.ip for c in stored} == {f"198.51.100.{n + 1}" for n in range(READERS)}
    heading = one(page(Client().get(post.get_absolute_url())), "h2.comments-title")
    assert text_of(heading) == f"{READERS} Comments on “WhatsApp crashes”"


def post_at_once(count, post, data):
    """POST ``data`` ``count`` times at the same instant, one connection each: the responses."""
    barrier = threading.Barrier(count, timeout=30)
    responses = [None] * count
    errors = []

    def one_click(n):
        try:
            client = Client(REMOTE_ADDR="203.0.113.7", HTTP_ORIGIN=SAME_ORIGIN)
            barrier.wait()
            responses[n] = client.post(comment_url(post), data)
        except Exception as error:  # Reported by the main thread, with the others'.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_click, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return responses


def test_ten_identical_comments_posted_at_once_store_one(settings, mailoutbox):
    # Only the duplicate check may refuse them: no rate limit.
    settings.BLOG_COMMENT_RATE_PER_MINUTE = 0
    post = PostFactory(title="WhatsApp crashes")
    data = comment_data(post, body="It is back for me now.")

    responses = post_at_once(10, post, data)

    (stored,) = Comment.objects.filter(post=post)
    assert stored.body == "It is back for me now."
    assert sorted(r.status_code for r in responses) == [302] + [400] * 9
    for refused in (r for r in responses if r.status_code == 400):
        body = one(page(refused), "p.field-body")
        assert text_of(one(body, "span.field-error")) == DUPLICATE
        # The reader's text is kept.
        assert text_of(one(body, "textarea")) == "It is back for me now."
    # One comment, so one email to the post's author.
    assert [email.to for email in mailoutbox] == [[post.author.email]]
