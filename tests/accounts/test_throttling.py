"""
Logins and post passwords are throttled per address and per name (issue 12,
finding 3): after the limit, even the right password is refused with a clear
message and the time it may be tried again, until the cool-off has passed.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.factories import PostFactory, StaffFactory
from tests.helpers import page

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
RIGHT = "correct horse battery staple"  # the factories' password


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.BLOG_LOGIN_FAILURE_LIMIT = 5
    settings.BLOG_LOGIN_COOLOFF_MINUTES = 15


def log_in(client, username, password, ip="203.0.113.7"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_five_wrong_passwords_lock_the_login_even_for_the_right_one(client):
    StaffFactory(username="boss")
    answers = [log_in(client, "boss", f"guess {n}") for n in range(5)]

    refused = log_in(client, "boss", RIGHT)

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert refused.status_code == 429
    assert not logged_in(refused)
    html = page(refused)
    error = html.select_one(".errornote").get_text(" ", strip=True)
    assert "Too many failed logins" in error
    until = timezone.localtime(timezone.now() + datetime.timedelta(minutes=15))
    assert f"refused until {until:%H:%M}" in error
    assert "ask an Administrator" in error
    # What was typed is kept.
    assert html.select_one("input[name=username]")["value"] == "boss"


def test_the_lockout_ends_by_itself_after_the_cool_off(client):
    StaffFactory(username="boss")
    for n in range(5):
        log_in(client, "boss", f"guess {n}")

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=14)):
        assert log_in(client, "boss", RIGHT).status_code == 429
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert logged_in(log_in(client, "boss", RIGHT))


def test_tries_during_the_lockout_do_not_extend_it(client):
    StaffFactory(username="boss")
    start = timezone.now()
    for n in range(5):
        log_in(client, "boss", f"guess {n}")
    with time_machine.travel(start + datetime.timedelta(minutes=10)):
        log_in(client, "boss", "still guessing")

    with time_machine.travel(start + datetime.timedelta(minutes=16)):
        assert logged_in(log_in(client, "boss", RIGHT))


def test_a_username_is_locked_whatever_address_the_guesses_come_from(client):
    StaffFactory(username="boss")
    for n in range(5):
        log_in(client, "boss", "wrong", ip=f"198.51.100.{n}")

    assert log_in(client, "boss", RIGHT, ip="192.0.2.200").status_code == 429


def test_an_address_is_locked_whatever_usernames_it_tries(client):
    StaffFactory(username="boss")
    for n in range(5):
        log_in(client, f"someone{n}", "wrong")

    assert log_in(client, "boss", RIGHT).status_code == 429
    # Another address and the same account: fine.
    assert logged_in(log_in(client, "boss", RIGHT, ip="192.0.2.99"))


def test_unknown_usernames_lock_the_same_way_as_real_ones(client):
    StaffFactory(username="boss")
    for n in range(5):
        log_in(client, "boss", "wrong", ip=f"198.51.100.{n}")
        log_in(client, "nobody-here", "wrong", ip=f"198.51.100.{n + 10}")

    real = log_in(client, "boss", "wrong", ip="192.0.2.1")
    unknown = log_in(client, "nobody-here", "wrong", ip="192.0.2.2")

    assert real.status_code == unknown.status_code == 429


@pytest.mark.parametrize(
    "command",
    [["axes_reset"], ["axes_reset_username", "boss"], ["axes_reset_ip", "203.0.113.7"]],
)
def test_an_administrator_lifts_a_lockout_with_a_command(client, command):
    StaffFactory(username="boss")
    for n in range(5):
        log_in(client, "boss", f"guess {n}")

    call_command(*command, verbosity=0)

    assert logged_in(log_in(client, "boss", RIGHT))


def test_an_administrator_lifts_a_lockout_in_the_admin(client):
    StaffFactory(username="boss")
    for n in range(5):
        log_in(client, "boss", f"guess {n}")
    other = StaffFactory(username="other-admin")
    admin = client.__class__()
    admin.force_login(other)
    listing = admin.get("/admin/axes/accessattempt/")
    assert "boss" in listing.text

    from axes.models import AccessAttempt

    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert logged_in(log_in(client, "boss", RIGHT))


# Post passwords: /unlock/<pk>/


def unlock(client, post, password, ip="203.0.113.7"):
    return client.post(f"/unlock/{post.pk}/", {"password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def protected():
    return PostFactory(title="Members only", password="sesame")


def test_wrong_post_passwords_are_throttled(client, protected):
    answers = [unlock(client, protected, f"guess {n}") for n in range(5)]

    refused = unlock(client, protected, "sesame")

    assert [a.status_code for a in answers] == [403, 403, 403, 403, 429]
    assert refused.status_code == 429
    assert "Too many failed password tries" in refused.text
    assert "refused until" in refused.text
    # Still locked: the body is not shown.
    assert client.get(protected.get_absolute_url()).context["locked"]


def test_a_post_password_lockout_ends_by_itself(client, protected):
    for n in range(5):
        unlock(client, protected, f"guess {n}")

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = unlock(client, protected, "sesame")

    assert response.status_code == 302
    assert not client.get(protected.get_absolute_url()).context["locked"]


def test_a_post_is_locked_whatever_address_the_guesses_come_from(client, protected):
    for n in range(5):
        unlock(client, protected, "wrong", ip=f"198.51.100.{n}")

    assert unlock(client, protected, "sesame", ip="192.0.2.50").status_code == 429
    # Another post's password from another address is still checked.
    other = PostFactory(password="open")
    assert unlock(client, other, "open", ip="192.0.2.51").status_code == 302


def test_a_right_post_password_before_the_limit_unlocks(client, protected):
    for n in range(4):
        unlock(client, protected, f"guess {n}")

    assert unlock(client, protected, "sesame").status_code == 302
