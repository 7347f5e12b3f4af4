"""Anti-spam refusals through the real view: each one answers clearly and stores nothing."""

import pytest
import time_machine
from django.core import signing
from django.test import Client, RequestFactory
from django.utils import timezone

from blog.comments import spam
from blog.comments.forms import DUPLICATE, HONEYPOT_FILLED
from blog.comments.models import Comment
from blog.comments.moderation import Moderator
from tests.comments.helpers import comment_data, comment_url, post_comment, signed_token
from tests.factories import CommentFactory, PostFactory
from tests.helpers import form_data, one, page, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    return PostFactory(title="WhatsApp crashes")


def form_errors(response):
    return [text_of(li) for li in page(response).select("div.form-errors li")]


def field_errors(response, name):
    field = one(page(response), f"p.field-{name}")
    return [text_of(error) for error in field.select("span.field-error")]


def assert_refused_keeping_the_text(response, status=400):
    assert response.status_code == status
    assert Comment.objects.count() == 0
    form = one(page(response), "form.comment-form")
    assert text_of(one(form, "textarea")) == "Happened to me too, around noon."


# Honeypot


def test_filled_honeypot_is_refused_and_stores_nothing(client, post):
    response = post_comment(client, post, homepage="https://spam.example.com")

    assert_refused_keeping_the_text(response)
    assert form_errors(response) == [HONEYPOT_FILLED]


def test_refused_honeypot_form_comes_back_empty_so_a_person_can_post_again(client, post):
    response = post_comment(client, post, homepage="filled by autofill")

    again = form_data(response, "form.comment-form")
    assert again["homepage"] == ""
    again["token"] = signed_token(post)  # as if the reader took a few seconds
    assert client.post(comment_url(post), again).status_code == 302
    assert Comment.objects.count() == 1


def test_honeypot_is_hidden_from_people(client, post):
    form = one(page(client.get(post.get_absolute_url())), "form.comment-form")

    trap = one(form, "p.field-homepage")
    assert "visually-hidden" in trap.attrs["class"].split()
    assert trap.attrs["aria-hidden"] == "true"
    field = one(trap, 'input[name="homepage"]')
    assert field.attrs["tabindex"] == "-1"
    assert field.attrs["autocomplete"] == "off"
    assert text_of(one(trap, "label")).rstrip(":") == "Leave this field empty"


# Signed timestamp and target


def test_form_posted_too_fast_is_refused(client, post):
    response = client.post(comment_url(post), comment_data(post, token=signed_token(post, age=1)))

    assert_refused_keeping_the_text(response)
    assert form_errors(response) == [spam.TOO_FAST]


def test_minimum_seconds_is_a_setting(client, post, settings):
    settings.BLOG_COMMENT_MIN_SECONDS = 0

    response = client.post(comment_url(post), comment_data(post, token=signed_token(post, age=0)))

    assert response.status_code == 302


def test_form_older_than_the_maximum_age_is_refused(client, post, settings):
    age = settings.BLOG_COMMENT_MAX_AGE_SECONDS + 1

    response = client.post(comment_url(post), comment_data(post, token=signed_token(post, age)))

    assert_refused_keeping_the_text(response)
    assert form_errors(response) == [spam.TOO_OLD]


def tampered(token):
    """The token with its payload swapped for another, keeping the old signature."""
    payload, _, signature = token.rpartition(":")
    other = signing.dumps({"post": 1, "at": 0}, salt=spam.SIGNING_SALT).rpartition(":")[0]
    assert other != payload
    return f"{other}:{signature}"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(lambda post: "not-a-token", id="garbage"),
        pytest.param(lambda post: tampered(signed_token(post)), id="payload-changed"),
        pytest.param(lambda post: signed_token(PostFactory()), id="other-post"),
        pytest.param(
            lambda post: signing.dumps({"post": post.pk, "at": 0}, salt="another salt"),
            id="other-salt",
        ),
        pytest.param(
            lambda post: signing.dumps({"post": post.pk, "at": "old"}, salt=spam.SIGNING_SALT),
            id="no-time",
        ),
    ],
)
def test_bad_token_is_refused(client, post, token):
    response = client.post(comment_url(post), comment_data(post, token=token(post)))

    assert_refused_keeping_the_text(response)
    assert form_errors(response) == [spam.TAMPERED]


def test_refused_form_carries_a_fresh_token(client, post):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        old = signed_token(post, age=3 * 60 * 60)
        response = client.post(comment_url(post), comment_data(post, token=old))
        assert form_errors(response) == [spam.TOO_OLD]
        again = form_data(response, "form.comment-form")
        assert again["token"] != old
        clock.shift(5)

        assert client.post(comment_url(post), again).status_code == 302


# Rate limit


def test_one_ip_may_post_a_few_comments_a_minute(client, post, settings, real_cache):
    settings.BLOG_COMMENT_RATE_PER_MINUTE = 3
    with time_machine.travel(timezone.now().replace(second=10), tick=False):
        for n in range(3):
            assert post_comment(client, post, body=f"Remark {n}").status_code == 302

        response = post_comment(client, post)

    assert response.status_code == 429
    assert response["Retry-After"] == "50"
    assert form_errors(response) == [spam.RATE_LIMITED]
    assert text_of(one(page(response), "textarea")) == "Happened to me too, around noon."
    assert Comment.objects.count() == 3


def test_rate_limit_counts_each_ip_apart(client, post, settings, real_cache):
    settings.BLOG_COMMENT_RATE_PER_MINUTE = 1
    with time_machine.travel(timezone.now().replace(second=10), tick=False):
        assert post_comment(client, post, body="First", ip="198.51.100.1").status_code == 302
        assert post_comment(client, post, body="Second", ip="198.51.100.1").status_code == 429
        assert post_comment(client, post, body="Third", ip="198.51.100.2").status_code == 302

    assert sorted(Comment.objects.values_list("body", flat=True)) == ["First", "Third"]


def test_rate_limit_starts_again_the_next_minute(client, post, settings, real_cache):
    settings.BLOG_COMMENT_RATE_PER_MINUTE = 1
    with time_machine.travel(timezone.now().replace(second=50), tick=False) as clock:
        assert post_comment(client, post, body="First").status_code == 302
        assert post_comment(client, post, body="Second").status_code == 429
        clock.shift(15)

        assert post_comment(client, post, body="Third").status_code == 302


def test_rate_limit_counts_refused_attempts_too(client, post, settings, real_cache):
    # A bot hammering the form with bad data is slowed down as well.
    settings.BLOG_COMMENT_RATE_PER_MINUTE = 2
    with time_machine.travel(timezone.now().replace(second=10), tick=False):
        assert post_comment(client, post, homepage="x").status_code == 400
        assert post_comment(client, post, homepage="x").status_code == 400

        assert post_comment(client, post).status_code == 429
    assert Comment.objects.count() == 0


def test_behind_a_trusted_proxy_the_limit_is_per_forwarded_ip(client, post, settings, real_cache):
    settings.BLOG_TRUSTED_PROXIES = 1
    settings.BLOG_COMMENT_RATE_PER_MINUTE = 1

    def post_from(forwarded, body):
        data = comment_data(post, body=body)
        return client.post(
            comment_url(post), data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
        )

    with time_machine.travel(timezone.now().replace(second=10), tick=False):
        assert post_from("198.51.100.1", "First").status_code == 302
        # A client can prepend anything; only the address our proxy wrote counts.
        assert post_from("192.0.2.99, 198.51.100.1", "Second").status_code == 429
        assert post_from("198.51.100.2", "Third").status_code == 302

    stored = dict(Comment.objects.values_list("body", "ip"))
    assert stored == {"First": "198.51.100.1", "Third": "198.51.100.2"}


# Client IP


def request_from(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, None, "10.0.0.1"),
        (0, "198.51.100.1", "10.0.0.1"),  # Nobody vouches for the header.
        (1, None, "10.0.0.1"),
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "192.0.2.99, 198.51.100.1", "198.51.100.1"),
        (2, "192.0.2.99, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "198.51.100.1"),  # A shorter chain: its leftmost.
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "not an address", "10.0.0.1"),
    ],
)
def test_client_ip(settings, trusted, forwarded, expected):
    settings.BLOG_TRUSTED_PROXIES = trusted

    assert spam.client_ip(request_from(forwarded=forwarded)) == expected


def test_client_ip_is_none_when_nothing_gives_an_address():
    assert spam.client_ip(request_from(remote="")) is None


# Duplicates


def test_same_comment_twice_on_a_post_is_refused(client, post):
    assert post_comment(client, post).status_code == 302

    response = post_comment(Client(), post, name="Someone Else", email="else@example.com")

    assert response.status_code == 400
    assert field_errors(response, "body") == [DUPLICATE]
    assert Comment.objects.count() == 1


def test_a_twin_stored_after_the_forms_check_is_still_refused(client, post, monkeypatch):
    # Two clicks at the same moment (tests/comments/test_concurrency.py does
    # it for real on PostgreSQL): the twin lands between the form's check
    # and the insert, and the view's check under the post's lock sees it.
    moderate = Moderator.moderate

    def twin_lands(self, comment):
        CommentFactory(post=post, body=comment.body)
        return moderate(self, comment)

    monkeypatch.setattr(Moderator, "moderate", twin_lands)

    response = post_comment(client, post)

    assert response.status_code == 400
    assert field_errors(response, "body") == [DUPLICATE]
    assert text_of(one(page(response), "form.comment-form textarea")) == (
        "Happened to me too, around noon."
    )
    assert Comment.objects.count() == 1


def test_same_text_on_another_post_is_accepted(client, post):
    CommentFactory(post=PostFactory(), body="Happened to me too, around noon.")

    assert post_comment(client, post).status_code == 302


def test_same_text_as_a_trashed_comment_may_be_posted_again(client, post):
    CommentFactory(post=post, body="Happened to me too, around noon.", status="trash")

    assert post_comment(client, post).status_code == 302


# Maximum lengths


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "N" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("body", "B" * 5001, "Ensure this value has at most 5000 characters (it has 5001)."),
        (
            "url",
            "https://example.com/" + "u" * 181,
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            "email",
            "a" * 64 + "@" + "b" * 186 + ".com",
            "Ensure this value has at most 254 characters (it has 255).",
        ),
    ],
)
def test_too_long_field_is_refused(client, post, field, value, message):
    response = post_comment(client, post, **{field: value})

    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert Comment.objects.count() == 0


def test_the_form_tells_browsers_the_maximum_lengths(client, post):
    form = one(page(client.get(post.get_absolute_url())), "form.comment-form")

    assert one(form, 'input[name="name"]').attrs["maxlength"] == "100"
    assert one(form, "textarea").attrs["maxlength"] == "5000"
