"""
What a reader finds at /search/?q=: published posts only, best match first,
words found by their stems, matches highlighted in a safe snippet.
The same tests run against SQLite's FTS5 and PostgreSQL's full-text search.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from blog.posts.models import Post
from tests.factories import PostFactory
from tests.helpers import one, page, text_of

from .conftest import found_titles

pytestmark = pytest.mark.django_db


def test_title_match_ranks_above_body_match(search):
    # The body match is the newer post, so date order alone would put it first.
    PostFactory(title="Quarterly report", body="The outage caused a crash.")
    PostFactory(
        title="Crash at the data centre",
        body="Nothing else to say.",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    PostFactory(title="Unrelated", body="Gardening tips.")

    assert found_titles(search("crash")) == ["Crash at the data centre", "Quarterly report"]


def test_excerpt_match_ranks_between_title_and_body(search):
    PostFactory(title="Body", body="A zeppelin flew over.")
    PostFactory(title="Excerpt", excerpt="About a zeppelin.", body="Balloons.")
    PostFactory(title="Zeppelin", body="Balloons.")

    assert found_titles(search("zeppelin")) == ["Zeppelin", "Excerpt", "Body"]


def test_words_are_found_by_their_stem(search):
    PostFactory(title="Monday", body="The app had one crash this morning.")
    PostFactory(title="Tuesday", body="Everything was fine.")

    assert found_titles(search("crashes")) == ["Monday"]
    assert found_titles(search("crashing")) == ["Monday"]


def test_every_word_must_match(search):
    PostFactory(title="Both", body="The server crashed after the update.")
    PostFactory(title="One", body="The server was fine.")

    assert found_titles(search("server crash")) == ["Both"]


def test_quotes_or_and_minus_work_as_on_web_search_engines(search):
    PostFactory(title="Phrase", body="Millions of users lost access.")
    PostFactory(title="Scattered", body="Access for users was lost by millions.")
    PostFactory(title="Other", body="A garden of roses.")

    assert found_titles(search('"users lost access"')) == ["Phrase"]
    assert sorted(found_titles(search("roses or millions"))) == ["Other", "Phrase", "Scattered"]
    assert found_titles(search("millions -phrase -garden")) == ["Scattered"]


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Post.Status.DRAFT, "published_at": None},
        {"status": Post.Status.PENDING, "published_at": None},
        {"status": Post.Status.PRIVATE},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
    ],
    ids=["draft", "pending", "private", "scheduled"],
)
def test_unpublished_posts_are_not_found(search, fields):
    PostFactory(title="Visible walrus")
    PostFactory(title="Hidden walrus", **fields)

    assert found_titles(search("walrus")) == ["Visible walrus"]


def test_trashed_post_is_not_found_and_comes_back_when_restored(search):
    post = PostFactory(title="Walrus facts")
    post.trash()
    assert found_titles(search("walrus")) == []

    post.restore()
    assert found_titles(search("walrus")) == ["Walrus facts"]


def test_scheduled_post_is_found_once_its_time_comes(search):
    start = timezone.now()
    PostFactory(title="Walrus launch", published_at=start + datetime.timedelta(hours=2))

    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        assert found_titles(search("walrus")) == []
    with time_machine.travel(start + datetime.timedelta(hours=3), tick=False):
        assert found_titles(search("walrus")) == ["Walrus launch"]


def test_index_follows_creates_edits_and_deletes(search):
    assert found_titles(search("albatross")) == []

    post = PostFactory(title="Seabirds", body="An albatross glides for hours.")
    assert found_titles(search("albatross")) == ["Seabirds"]

    post.body = "A pelican dives for fish."
    post.save()
    assert found_titles(search("albatross")) == []
    assert found_titles(search("pelican")) == ["Seabirds"]

    post.title = "Pelicans"
    post.save(update_fields=["title"])
    assert found_titles(search("seabirds")) == []
    assert found_titles(search("pelicans")) == ["Pelicans"]

    post.delete()
    assert found_titles(search("pelican")) == []


def test_post_published_after_a_draft_is_found(search):
    post = PostFactory(title="Narwhal notes", status=Post.Status.DRAFT, published_at=None)
    assert found_titles(search("narwhal")) == []

    post.status = Post.Status.PUBLISHED
    post.save()
    assert found_titles(search("narwhal")) == ["Narwhal notes"]


def test_snippet_highlights_matches_and_escapes_the_body(search):
    PostFactory(
        title="Security",
        body="The crash came from `<script>alert(1)</script>` in a comment.\n\n"
        "Nothing <b>else</b> &amp; nothing more.",
    )

    response = search("crash")

    result = one(page(response), ".search-result")
    assert [text_of(mark) for mark in result.select(".excerpt mark")] == ["crash"]
    assert result.select("script, b") == []
    assert "<script>alert(1)</script>" in text_of(one(result, ".excerpt"))
    assert "&lt;script&gt;" in response.text


def test_snippet_marker_characters_typed_by_authors_stay_text(search):
    PostFactory(title="Markers", body="A crash \ue000 then \ue001 text.")

    result = one(page(search("crash")), ".search-result .excerpt")

    assert [text_of(mark) for mark in result.select("mark")] == ["crash"]


def test_protected_post_is_found_by_title_only_and_shows_no_body(search):
    PostFactory(
        title="Members walrus",
        excerpt="A secret excerpt about narwhals.",
        body="The secret narwhal body.",
        password="open sesame",
    )

    assert found_titles(search("narwhal")) == []
    response = search("walrus")
    assert found_titles(response) == ["Members walrus"]
    assert "narwhal" not in response.text.lower()


@pytest.mark.parametrize(
    "text",
    [
        '"crash',
        'crash"',
        "crash AND",
        "AND OR NOT",
        "*",
        "crash*",
        "-",
        "- -crash",
        "(crash",
        "crash)",
        "NEAR(crash",
        "NEAR(crash app, 2)",
        "title:crash",
        "{title body}:crash",
        "^crash",
        "crash + app",
        "'; DROP TABLE posts_post; --",
        "&&||!",
        "\\",
        "\u00e9t\u00e9 caf\u00e9",
        "🙂",
        "the",
        "of the -a",
        "the crash",
    ],
)
def test_query_syntax_typed_by_readers_never_breaks_the_page(search, text):
    PostFactory(title="Crash report", body="The app crashed.")

    response = search(text)

    assert response.status_code == 200
    assert Post.objects.count() == 1


def test_operators_typed_by_readers_are_read_as_words(search):
    PostFactory(title="Crash report", body="The app crashed.")

    assert found_titles(search("NEAR(crash")) == []  # "near" is a word, and no post has it
    assert found_titles(search("(crash)")) == ["Crash report"]
    assert found_titles(search("title:crash")) == []  # "title" is not in the post


def test_results_show_count_meta_line_and_noindex(search):
    PostFactory(title="Walrus one", categories=[])
    PostFactory(title="Walrus two")

    response = search("walrus")

    tree = page(response)
    assert text_of(one(tree, "h1")) == "Search results for “walrus”"
    assert text_of(one(tree, ".search-count")) == "2 results"
    assert len(tree.select(".search-result p.post-meta")) == 2
    assert one(tree, 'meta[name="robots"]').attrs["content"] == "noindex"
    # A page that asks not to be indexed names no canonical address and no link card.
    assert not tree.select('link[rel="canonical"], meta[property^="og:"]')
    assert "Search results for “walrus”" in text_of(one(tree, "title"))


def test_no_results_says_so(search):
    PostFactory(title="Walrus")

    tree = page(search("platypus"))

    assert text_of(one(tree, ".search-count")) == "No results"
    assert "Nothing matched your search" in text_of(one(tree, ".empty"))
