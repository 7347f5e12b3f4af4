"""The log prints each line once, under `make run` (DEBUG) as in production."""

import logging

import pytest
from django.utils.log import configure_logging


@pytest.fixture
def configured_logging(capsys, settings):
    """Django's logging set up again from settings, its handlers writing to capsys' stderr."""

    def configure(debug):
        # DEBUG stays set while lines are logged: Django's own handlers check it then.
        settings.DEBUG = debug
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)

    yield configure
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


@pytest.mark.parametrize("debug", [True, False])
def test_a_django_warning_is_printed_once(configured_logging, capsys, debug):
    configured_logging(debug)

    logging.getLogger("django.request").warning("Not Found: /nope/")

    assert capsys.readouterr().err.count("Not Found: /nope/") == 1


def test_runserver_request_lines_are_printed_once_with_their_time(configured_logging, capsys):
    configured_logging(debug=True)

    logging.getLogger("django.server").info('"GET / HTTP/1.1" 200 5')

    printed = capsys.readouterr().err.splitlines()
    assert len([line for line in printed if '"GET / HTTP/1.1"' in line]) == 1
    assert printed[0].startswith("[")
