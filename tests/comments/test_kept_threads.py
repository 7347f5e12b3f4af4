"""
A page of comment threads is read and rendered once and kept in the cache
(blog/comments/templatetags/comment_tags.py), for every reader without a
pending comment of their own or a reply under way. With the page cache off and
the fragments warm, what each reader sees is still exactly what is true.
"""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from blog.comments.models import Comment
from blog.comments.views import OWN_PENDING_SESSION_KEY
from blog.sitesettings.models import SiteSettings
from tests.factories import CommentFactory, PostFactory, UserFactory
from tests.helpers import page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_cache")]


@pytest.fixture
def post():
    post = PostFactory(title="WhatsApp crashes")
    CommentFactory(post=post, name="Maria", body="First words", status=Comment.Status.APPROVED)
    return post


def view(client, post, query=""):
    response = client.get(post.get_absolute_url() + query)
    assert response.status_code == 200
    return response


def names(response):
    return [n.get_text(strip=True) for n in page(response).select(".comment-author")]


def test_an_approved_comment_shows_on_the_next_view(client, post):
    view(client, post)
    pending = CommentFactory(post=post, name="Ann", status=Comment.Status.PENDING)
    assert names(view(client, post)) == ["Maria"]

    pending.status = Comment.Status.APPROVED
    pending.save()

    assert names(view(client, post)) == ["Maria", "Ann"]
    pending.delete()
    assert names(view(client, post)) == ["Maria"]


def test_a_reader_with_a_pending_comment_of_their_own_sees_it(post):
    view(Client(), post)
    mine = CommentFactory(post=post, name="Ann", status=Comment.Status.PENDING)
    reader = Client()
    session = reader.session
    session[OWN_PENDING_SESSION_KEY] = [mine.pk]
    session.save()

    assert names(view(reader, post)) == ["Maria", "Ann"]
    assert "awaiting moderation" in view(reader, post).text
    assert names(view(Client(), post)) == ["Maria"]


def test_a_reply_without_scripts_names_the_comment_replied_to(client, post):
    view(client, post)
    maria = Comment.objects.get(name="Maria")

    replying = page(view(client, post, f"?replytocom={maria.pk}"))

    assert "Replying to Maria" in replying.select_one(".reply-to").get_text()
    assert replying.select_one("input[name=parent]")["value"] == str(maria.pk)
    assert page(view(client, post)).select(".reply-to") == []


def test_comments_closing_by_age_take_the_reply_links_away(client):
    SiteSettings.objects.update_or_create(pk=1, defaults={"close_comments_after_days": 3})
    post = PostFactory(published_at=timezone.now() - datetime.timedelta(days=3, seconds=-60))
    CommentFactory(post=post, name="Maria", status=Comment.Status.APPROVED)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert page(view(client, post)).select(".comment-reply-link")

        clock.shift(61)

        closed = page(view(client, post))
        assert closed.select(".comment-reply-link") == []
        assert names(view(client, post)) == ["Maria"]


def test_a_logged_in_reader_gets_a_form_of_their_own(post):
    assert "Logged in as" not in view(Client(), post).text
    writer = Client()
    writer.force_login(UserFactory(display_name="Ann Writer"))

    assert "Logged in as Ann Writer" in view(writer, post).text
    assert page(view(Client(), post)).select_one("input[name=email]") is not None
