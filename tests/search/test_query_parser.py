"""Reading what readers type, the same way for both databases."""

import pytest

from blog.search.query import ParsedQuery, parse

pytestmark = pytest.mark.no_database


def test_words_must_all_match():
    assert parse("app  crash") == ParsedQuery(required=(("app",), ("crash",)))


def test_quoted_words_are_one_phrase_even_unclosed():
    assert parse('"millions of  users" app') == ParsedQuery(
        required=(("millions of users",), ("app",))
    )
    assert parse('app "lost access') == ParsedQuery(required=(("app",), ("lost access",)))


def test_or_joins_the_terms_on_either_side():
    assert parse("crash OR outage app") == ParsedQuery(required=(("crash", "outage"), ("app",)))


def test_a_leading_or_and_a_trailing_or_are_ignored():
    assert parse("or crash or") == ParsedQuery(required=(("crash",),))


def test_minus_excludes_words_and_phrases():
    assert parse('app -crash -"data centre"') == ParsedQuery(
        required=(("app",),), excluded=("crash", "data centre")
    )


def test_only_exclusions_or_punctuation_is_no_search():
    assert not parse("-crash")
    assert not parse("* - ( ) \" ''")
    assert not parse("")


def test_database_operators_are_plain_words():
    assert parse("NEAR(crash AND app*)") == ParsedQuery(
        required=(("NEAR(crash",), ("AND",), ("app*)",))
    )
