"""
Two-factor authentication in Chromium: an Administrator for whom it is
required sets it up from the page the admin sends them to (QR code shown, a
code from the app, recovery codes), then logs in again with password and code.
"""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from blog.accounts.roles import ADMINISTRATOR
from tests.browser.conftest import PASSWORD
from tests.factories import RoleUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(device):
    """What the authenticator app shows now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def next_app_code(device):
    """
    The app's code for the time step after the one last used: a used code is
    refused, and on a slow run the setup's code may have been checked a step
    later than made, which the server keeps as clock drift (read it back).
    """
    device.refresh_from_db()
    return f"{hotp(device.bin_key, device.last_t + 1, digits=device.digits):06d}"


def log_in(page, live_server):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("siteadmin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()


def test_administrator_sets_up_two_factor_and_logs_in_with_a_code(
    page, live_server, settings, screenshot_dir, browser_errors
):
    settings.BLOG_REQUIRE_2FA_FOR_ADMINISTRATORS = True
    RoleUserFactory(username="siteadmin", role=ADMINISTRATOR)
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in(page, live_server)
    # Sent to the set-up page, with the QR code for the app.
    expect(page.get_by_text("must set up two-factor authentication").first).to_be_visible()
    expect(page.locator("img.two-factor-qr")).to_be_visible()
    page.screenshot(path=screenshot_dir / "two-factor-setup.png", full_page=True)
    device = TOTPDevice.objects.get(user__username="siteadmin", confirmed=False)
    page.get_by_label("Code:").fill(app_code(device))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator(".recovery-codes code")).to_have_count(10)
    page.screenshot(path=screenshot_dir / "two-factor-recovery-codes.png", full_page=True)

    page.get_by_role("button", name=re.compile("Log out", re.I)).click()
    log_in(page, live_server)
    code = page.get_by_label("Two-factor code")
    expect(code).to_be_visible()
    page.screenshot(path=screenshot_dir / "two-factor-login.png", full_page=True)
    # The next step's code: the one used to set it up may not be used twice.
    code.fill(next_app_code(device))
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()

    expect(page.locator("#site-name")).to_be_visible()
    expect(page.get_by_role("link", name="Posts").first).to_be_visible()
    assert browser_errors == []
