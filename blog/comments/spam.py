"""
Anti-spam without third parties: the client's IP, a per-IP rate limit kept in
Django's cache, and the signed token that dates a comment form and ties it to
its post (django-contrib-comments' timestamp and security hash, in one value).
"""

import ipaddress
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SIGNING_SALT = "blog.comments.form-token"

TAMPERED = "This form could not be checked. Please post your comment again."
TOO_FAST = "That was quick! Please take a few seconds, then post your comment again."
TOO_OLD = "This page was open for too long. Please post your comment again."
RATE_LIMITED = "You are posting comments too quickly. Please wait a minute, then post again."


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request):
    """
    The reader's IP: ``REMOTE_ADDR``, or, behind ``BLOG_TRUSTED_PROXIES`` = N
    proxies, the Nth address from the right of ``X-Forwarded-For``. Each proxy
    appends the address it was reached from, so everything further left was
    written by the client and may be invented.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.BLOG_TRUSTED_PROXIES
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if trusted > 0 and forwarded:
        # A shorter chain than configured went through fewer proxies: its
        # leftmost address is still the one our first proxy saw.
        candidate = forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
        if _is_ip(candidate):
            return candidate
    return remote if _is_ip(remote) else None


def seconds_until_allowed(ip):
    """
    Count one comment attempt from ``ip`` in this minute; 0 while within
    ``BLOG_COMMENT_RATE_PER_MINUTE`` (0 turns the limit off), else the seconds
    until the next minute starts.
    """
    limit = settings.BLOG_COMMENT_RATE_PER_MINUTE
    if limit <= 0:
        return 0
    now = time.time()
    key = f"comments:rate:{ip}:{int(now // 60)}"
    # add() and incr() are each atomic (local memory holds a lock, Redis and
    # memcached do it server-side): concurrent posts never lose a count the
    # way get-then-set would. The timeout outlives the minute it counts.
    if cache.add(key, 1, timeout=120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # The key expired between add() and incr().
            cache.add(key, 1, timeout=120)
            count = 1
    if count <= limit:
        return 0
    return max(1, 60 - int(now % 60))


def issue_token(post, now=None):
    """A signed ``{post, issued-at}`` for the form's hidden ``token`` field."""
    issued = int(time.time() if now is None else now)
    return signing.dumps({"post": post.pk, "at": issued}, salt=SIGNING_SALT)


def token_problem(token, post, now=None):
    """Why ``token`` is refused for a comment on ``post`` now, or None if it is good."""
    try:
        payload = signing.loads(token or "", salt=SIGNING_SALT)
    except signing.BadSignature:
        return TAMPERED
    if not isinstance(payload, dict) or payload.get("post") != post.pk:
        return TAMPERED
    issued = payload.get("at")
    if not isinstance(issued, int):
        return TAMPERED
    age = (time.time() if now is None else now) - issued
    if age < settings.BLOG_COMMENT_MIN_SECONDS:
        return TOO_FAST
    if age > settings.BLOG_COMMENT_MAX_AGE_SECONDS:
        return TOO_OLD
    return None


CROSS_SITE = "Comments can only be posted from this site's own pages."


def cross_site_problem(request):
    """
    Why a comment POST looks cross-site, or None when it comes from this site.

    The comment view is ``csrf_exempt``: the article is a shared cached page,
    so it can carry no per-reader CSRF token. Instead the browser's own
    statement of where the form was is checked: ``Origin`` (sent on every
    POST by current browsers) must be this site (or one of
    ``CSRF_TRUSTED_ORIGINS``); without it, ``Sec-Fetch-Site`` must be
    ``same-origin``; without either, the ``Referer``'s host must be this
    host. A request with none of the three (old browsers, scripts) is
    accepted only from a reader who is not logged in: forging it gains an
    attacker nothing they could not post themselves, since the form changes
    nothing but adding one comment that the moderator still judges.
    """
    here = f"{request.scheme}://{request.get_host()}"
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        if origin == here or origin in settings.CSRF_TRUSTED_ORIGINS:
            return None
        return CROSS_SITE
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return None if fetch_site == "same-origin" else CROSS_SITE
    referer = request.META.get("HTTP_REFERER")
    if referer is not None:
        return None if urlsplit(referer).netloc == request.get_host() else CROSS_SITE
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return CROSS_SITE
    return None
