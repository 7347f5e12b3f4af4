"""
Throttled logins and post passwords, on django-axes (README: Security).

Every failure is a row in axes' AccessAttempt table, keyed by the client's IP
address and by a name: the username typed at a login, ``post:<pk>`` for a
protected post's password (a colon no username may contain). After
``BLOG_LOGIN_FAILURE_LIMIT`` failures from one address, or for one name,
within ``BLOG_LOGIN_COOLOFF_MINUTES``, tries are refused without looking at
the password until that long after the last failure. An Administrator lifts
a lockout early in the admin (*Axes › Access attempts*, delete the rows) or
with ``manage.py axes_reset``, ``axes_reset_ip ADDRESS`` or
``axes_reset_username NAME``.
"""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_parameters, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.shortcuts import render
from django.utils import formats, timezone


def failure_limit(request=None, credentials=None):
    return settings.BLOG_LOGIN_FAILURE_LIMIT


def cool_off(request=None):
    return datetime.timedelta(minutes=settings.BLOG_LOGIN_COOLOFF_MINUTES)


def post_credentials(post):
    """The name a protected post's password failures are counted under."""
    return {"username": f"post:{post.pk}"}


def is_locked(request, credentials):
    return not AxesProxyHandler.is_allowed(request, credentials)


def record_failure(request, credentials):
    """Count a wrong post password; True when it locks the post or the address."""
    AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def lockout_ends(request, credentials):
    """When the newest failure of the locked address or name is a cool-off old."""
    AxesProxyHandler.update_request(request)
    username = get_client_username(request, credentials)
    matches = Q()
    for parameters in get_client_parameters(
        username, request.axes_ip_address, request.axes_user_agent, request, credentials
    ):
        matches |= Q(**parameters)
    latest = AccessAttempt.objects.filter(matches).aggregate(latest=Max("attempt_time"))["latest"]
    return (latest or timezone.now()) + cool_off(request)


def lockout_message(request, credentials, what="logins"):
    """
    What a locked-out person reads: why, and until when. The view shows it in
    its own form, and ``lockout_response`` keeps that page.
    """
    request.lockout_explained = True
    ends = timezone.localtime(lockout_ends(request, credentials))
    minutes = settings.BLOG_LOGIN_COOLOFF_MINUTES
    return (
        f"Too many failed {what} from your address or for this name: further tries are "
        f"refused until {formats.time_format(ends, 'H:i T')} ({minutes} minutes after the "
        "last failure). Please wait, or ask an Administrator to lift the lockout."
    )


def lockout_response(request, original_response=None, credentials=None):
    """
    django-axes' answer to a locked-out request (AXES_LOCKOUT_CALLABLE): the
    page the view already made, saying why, as 429 Too Many Requests; or, for
    a form that did not explain it, a page of its own.
    """
    if original_response is not None and getattr(request, "lockout_explained", False):
        original_response.status_code = 429
        return original_response
    return render(
        request,
        "accounts/locked_out.html",
        {"message": lockout_message(request, credentials)},
        status=429,
    )
