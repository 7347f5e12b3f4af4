"""
The answer when the database is unreachable: a themed 503, not a 500.

PostgreSQL restarting, a failover, a connection cut mid-request or a statement
cancelled by its timeout raise OperationalError (or InterfaceError for a
connection already closed) wherever the database is first touched: in a view,
in a template, or in a middleware (the site settings are read before any
view). Django turns every uncaught exception into ``handler500``, so that is
where this looks: those errors answer 503 with ``Retry-After``, rendered from
``templates/503.html``, which needs no database and no request context; every
other error keeps Django's 500. The traceback goes to the log only.

Nothing is half-written: a write of more than one row runs in a transaction
(the admin's save, a comment, moderation), which PostgreSQL rolls back when the
connection dies. Service resumes by itself: a broken connection is dropped at
the end of the request, and with CONN_HEALTH_CHECKS the next request checks a
kept connection before using it and opens a new one.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as django_server_error

# Seconds a reader (or a crawler) is asked to wait before trying again.
RETRY_AFTER = 30


def database_unavailable(exception):
    return isinstance(exception, OperationalError | InterfaceError)


def unavailable_response():
    # No request and no context: the context processors read the database.
    body = loader.get_template("503.html").render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """``handler500``: 503 when the database is the cause, Django's 500 otherwise."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response()
    return django_server_error(request, template_name=template_name)
