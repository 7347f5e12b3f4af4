"""
Rows built once for a group of tests, as Django's ``TestCase.setUpTestData`` does.

A fixture of class scope builds its rows through the factories inside a
transaction of its own and hands them to the tests of its class; each test
then runs, as every ``django_db`` test does, in a savepoint rolled back after
it, and the rows themselves are rolled back when the class is done. Nothing
is committed: no later test, on either database, sees them.

    @pytest.fixture(scope="class")
    def posts(request, django_db_setup, django_db_blocker, tmp_path_factory):
        yield from keep_rows(django_db_blocker, tmp_path_factory, lambda: make_posts(100))

Only tests of the class use the rows, so a class holds only tests that need
them as built and change nothing that would matter to the next test outside
their own savepoint (they get the same Python objects, not copies).
"""

import contextlib

from django.db import transaction
from django.test import override_settings

# What the autouse fixtures of tests/conftest.py give every test: the rows are
# built as a test would build them.
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def keep_rows(django_db_blocker, tmp_path_factory, build, *contexts):
    """
    A fixture's body: ``build()`` inside a transaction (and ``contexts``, such
    as a module's clock), its result yielded, the transaction rolled back after.
    """
    media_root = tmp_path_factory.mktemp("shared-media") / "media"
    atomic = transaction.atomic()
    # As Django's TestCase marks its own: a durable block in the code under
    # test may still open inside it.
    atomic._from_testcase = True
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            with contextlib.ExitStack() as stack:
                stack.enter_context(
                    override_settings(CACHES=NO_CACHE, BLOG_PAGE_CACHE=False, MEDIA_ROOT=media_root)
                )
                for context in contexts:
                    stack.enter_context(context)
                rows = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield rows
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
