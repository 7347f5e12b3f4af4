"""
Request hardening that applies to every address, public or admin.

``InvalidCharactersMiddleware`` refuses, once for the whole site, any path or
query string carrying a character no page could mean: NUL and the other
control characters, lone surrogates and the non-characters U+FFFE/U+FFFF.
PostgreSQL cannot store or compare a NUL (psycopg raises instead of querying)
and XML and HTML cannot carry the others, so without this check every view,
feed and admin search that looks a parameter up would answer 500 with a
traceback. Refused requests get a plain 400 that says why, from no view and
with no query (only the page cache, first of all middleware, looks its key
up, and never keeps a 400).

``PermissionsPolicyMiddleware`` sends ``Permissions-Policy`` on every response
(Django has no setting for it): the blog uses none of the powerful browser
features, so none is allowed to any page or embedded frame.
"""

import re
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import HttpResponseBadRequest

# In a path even tab and newline are refused (no slug or category holds one);
# a query may carry them, as a multi-line form field sent by GET does.
_INVALID_IN_PATH = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_INVALID_IN_QUERY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

REFUSAL = (
    "Bad request: the address contains a character that is not allowed "
    "(a NUL byte or another control character)."
)


def has_invalid_characters(path, query_string=""):
    """True when the decoded path or the raw (percent-encoded) query holds a refused character."""
    # Decoded as QueryDict decodes it (UTF-8, bad bytes replaced), keys and values alike.
    query = unquote_plus(query_string, errors="replace")
    return bool(_INVALID_IN_PATH.search(path) or _INVALID_IN_QUERY.search(query))


class InvalidCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # PATH_INFO arrives percent-decoded; the query string does not.
        if has_invalid_characters(request.path_info, request.META.get("QUERY_STRING", "")):
            response = HttpResponseBadRequest(REFUSAL, content_type="text/plain; charset=utf-8")
            # The same bytes for everyone: a shared cache may keep the refusal.
            response["Cache-Control"] = "max-age=3600"
            return response
        return self.get_response(request)


def permissions_policy_header(policy):
    """``{"camera": [], "fullscreen": ["self"]}`` -> ``camera=(), fullscreen=(self)``."""
    return ", ".join(
        f"{feature}=({' '.join(allowed)})" for feature, allowed in sorted(policy.items())
    )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.BLOG_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
