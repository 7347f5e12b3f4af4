"""
Two-factor authentication for staff, on django-otp (README: Security).

A user sets it up on their own admin page (*Two-factor authentication* in the
admin's user links): an authenticator app (TOTP, the QR code or the key) and
ten single-use recovery codes (django-otp's static device) for a lost phone.
From then on the admin login asks for a code after the password. With
``BLOG_REQUIRE_2FA_FOR_ADMINISTRATORS`` on, an Administrator can use nothing
in the admin but that page until it is set up and the session verified.
"""

import re

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import is_administrator

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODES = 10

_APP_CODE = re.compile(r"\d{6}")


def is_set_up(user):
    return user_has_device(user)


def is_required(user):
    return settings.BLOG_REQUIRE_2FA_FOR_ADMINISTRATORS and is_administrator(user)


def verify(user, code):
    """
    The user's device that accepts ``code`` (six digits: the app; otherwise a
    recovery code, used up), or None. Only the one kind of device is asked,
    so a code typed for one never counts as a failure against the other.
    """
    code = re.sub(r"[\s-]", "", code or "").lower()
    kind = TOTPDevice if _APP_CODE.fullmatch(code) else StaticDevice
    for device in devices_for_user(user):
        if isinstance(device, kind):
            verified = verify_token(user, device.persistent_id, code)
            if verified is not None:
                return verified
    return None


def pending_app(user):
    """The authenticator app being set up: made once, confirmed by its first code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_code(device):
    """The app's set-up address as an SVG data URI (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


def secret(device):
    """The key for typing into an app by hand, in groups of four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_app(user, device, code):
    """Turn two-factor on with the first right code; the new recovery codes, or None."""
    if not device.verify_token(re.sub(r"\s", "", code or "")):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user):
    """Ten fresh single-use codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def turn_off(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
