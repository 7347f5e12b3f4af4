"""
Two-factor authentication for staff (django-otp): optional, set up on one's
own admin page, asked for at the admin login, required of Administrators
when BLOG_REQUIRE_2FA_FOR_ADMINISTRATORS is on.
"""

import datetime
import time

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from blog.accounts import two_factor
from blog.accounts.roles import ADMINISTRATOR, EDITOR
from tests.factories import RoleUserFactory
from tests.helpers import page

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password
SETUP = "/admin/accounts/user/two-factor/"


def code_for(device):
    """What the user's authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def with_app(user):
    """The user with a confirmed authenticator app and recovery codes."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    codes = two_factor.new_recovery_codes(user)
    return device, codes


def log_in(client, username, code=None):
    data = {"username": username, "password": PASSWORD, "next": "/admin/"}
    if code is not None:
        data["otp_token"] = code
    return client.post("/admin/login/", data)


@pytest.fixture
def administrator():
    return RoleUserFactory(username="siteadmin", role=ADMINISTRATOR)


@pytest.fixture
def required(settings):
    settings.BLOG_REQUIRE_2FA_FOR_ADMINISTRATORS = True


def test_staff_without_two_factor_log_in_with_a_password(client):
    RoleUserFactory(username="ed", role=EDITOR)

    response = log_in(client, "ed")

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_login_asks_for_the_code_once_the_password_is_right(client, administrator):
    with_app(administrator)

    response = log_in(client, "siteadmin")

    html = page(response)
    assert response.status_code == 200
    assert "Enter the code from your authenticator app" in html.select_one(".errornote").text
    assert html.select_one("input[name=otp_token]") is not None
    # The username and password stay in the form while the code is asked.
    assert html.select_one("input[name=username]")["value"] == "siteadmin"
    assert html.select_one("input[name=password]")["value"] == PASSWORD
    assert client.get("/admin/").status_code == 302  # not logged in


def test_a_wrong_password_does_not_say_whether_two_factor_is_on(client, administrator):
    with_app(administrator)

    response = client.post("/admin/login/", {"username": "siteadmin", "password": "nope"})

    assert page(response).select_one("input[name=otp_token]") is None


def test_a_wrong_code_is_refused(client, administrator):
    with_app(administrator)

    response = log_in(client, "siteadmin", "000000")

    assert "That code is not right" in response.text
    assert client.get("/admin/").status_code == 302


def test_administrator_logs_in_with_a_totp_code_when_required(client, administrator, required):
    device, _ = with_app(administrator)

    response = log_in(client, "siteadmin", code_for(device))

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/posts/post/").status_code == 200


def test_a_recovery_code_logs_in_once(client, administrator):
    _, codes = with_app(administrator)

    first = log_in(client, "siteadmin", codes[0].upper())
    client.post("/admin/logout/")
    again = log_in(client, "siteadmin", codes[0])

    assert first.status_code == 302
    assert again.status_code == 200
    assert "That code is not right" in again.text


def test_required_administrator_without_two_factor_is_sent_to_set_it_up(
    client, administrator, required
):
    client.force_login(administrator)

    response = client.get("/admin/posts/post/")

    assert response.status_code == 302
    assert response["Location"] == SETUP
    setup = client.get(SETUP)
    assert setup.status_code == 200
    assert "must set up two-factor authentication" in setup.text
    assert page(setup).select_one("img.two-factor-qr")["src"].startswith("data:image/svg+xml")


def test_set_up_turns_it_on_shows_recovery_codes_and_opens_the_admin(
    client, administrator, required
):
    client.force_login(administrator)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=administrator, confirmed=False)

    wrong = client.post(SETUP, {"action": "set-up", "code": "123456"})
    # After a wrong code django-otp makes the next wait a moment (doubling each time).
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        right = client.post(SETUP, {"action": "set-up", "code": code_for(device)})

    assert "That code is not right" in wrong.text
    codes = [node.text for node in page(right).select(".recovery-codes code")]
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert StaticDevice.objects.get(user=administrator).token_set.count() == 10
    # The session that showed the code is verified.
    assert client.get("/admin/posts/post/").status_code == 200


def test_required_administrator_with_an_unverified_session_logs_in_again(
    client, administrator, required
):
    with_app(administrator)
    client.force_login(administrator)  # no code was given in this session

    response = client.get("/admin/posts/post/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_not_required_of_editors(client, required):
    client.force_login(RoleUserFactory(username="ed", role=EDITOR))

    assert client.get("/admin/posts/post/").status_code == 200


def test_turning_it_off_takes_a_current_code(client):
    editor = RoleUserFactory(username="ed", role=EDITOR)
    device, codes = with_app(editor)
    client.force_login(editor)

    refused = client.post(SETUP, {"action": "turn-off", "code": "000000"})
    assert "That code is not right" in refused.text
    assert two_factor.is_set_up(editor)

    client.post(SETUP, {"action": "turn-off", "code": codes[1]})
    assert not two_factor.is_set_up(editor)


def test_administrators_may_not_turn_it_off_when_required(client, administrator, required):
    device, _ = with_app(administrator)
    log_in(client, "siteadmin", code_for(device))

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        response = client.post(SETUP, {"action": "turn-off", "code": code_for(device)})

    assert "must keep two-factor authentication on" in response.text
    assert two_factor.is_set_up(administrator)


def test_new_recovery_codes_replace_the_old_ones(client):
    editor = RoleUserFactory(username="ed", role=EDITOR)
    _, old = with_app(editor)
    client.force_login(editor)

    response = client.post(SETUP, {"action": "new-codes", "code": old[0]})

    new = [node.text for node in page(response).select(".recovery-codes code")]
    assert len(new) == 10
    assert two_factor.verify(editor, old[1]) is None
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        assert two_factor.verify(editor, new[0]) is not None


def test_the_user_page_links_to_ones_own_two_factor_settings(client, administrator):
    other = RoleUserFactory(username="ed", role=EDITOR)
    client.force_login(administrator)

    own = client.get(f"/admin/accounts/user/{administrator.pk}/change/")
    theirs = client.get(f"/admin/accounts/user/{other.pk}/change/")

    assert SETUP in own.text
    assert "set it up or change it" not in theirs.text
    # And the admin's user links lead there for everyone.
    assert f'href="{SETUP}"' in theirs.text
