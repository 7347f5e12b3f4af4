"""
Twenty readers posting at the same instant through the real view, each on its
own database connection and from its own IP: every comment is stored and the
article counts them exactly. Runs in the PostgreSQL pass of ``make test``;
SQLite serialises writers, so it proves nothing there.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from blog.comments.models import Comment
from tests.comments.helpers import comment_data, comment_url
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
