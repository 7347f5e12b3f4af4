"""
Fuzzing the post and comment pipelines with Hypothesis: whatever the text,
in either body format, the answer is sanitised HTML of bounded size or a
refusal with a reason, within the time budget, and never executable markup.

The texts are built from the pieces that matter to the parsers (brackets,
emphasis marks, backticks, tags, quotes, shortcodes, newlines, URLs with
dangerous schemes) so the search reaches unbalanced and nested shapes fast.
"""

import time

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog import markup, render_limits
from blog.markup import BodyFormat, RenderRefused

PIECES = [
    "[", "]", "(", ")", "![", "](", "*", "**", "_", "__", "`", "```", "\\", "<", ">", "&",
    "#", "## ", "> ", "- ", "1. ", "    ", "\n", "\n\n", "|", "---", "[^1]", "[^1]: ", "=",
    "<!--", "-->", "<!--more-->", "<div>", "</div>", "<b>", "</b>", "<p>", "<h2>", "</h2>",
    "<a href='", "javascript:alert(1)", "<script>alert(1)</script>", "<img src=x onerror=",
    "<svg onload=alert(1)>", "<iframe src=//evil>", "<style>", " style='x'", "data:text/html,",
    '"', "'", "[caption]", "[/caption]", "[gallery ids=1]", "[audio src=", "[embed]",
    "https://example.com/", "//evil.example/", "word", " ", "é", "\u00a0", "\t",
]  # fmt: skip

texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=200).map("".join),
    st.text(max_size=400),
    # A piece repeated: runs are what made the parsers slow.
    st.tuples(st.sampled_from(PIECES), st.integers(1, 3000)).map(lambda p: p[0] * p[1]),
)
FUZZ = settings(
    max_examples=120,
    deadline=None,  # timed by the test itself, against the renderer's own budget
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# The time budget, plus what a loaded test machine adds around it.
SLACK = 1.5

_EVENT_HANDLER = "on"
_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_ATTRIBUTES = ("href", "src", "poster", "srcset", "cite", "action", "formaction")


def assert_safe(html, tags, *, output_bound):
    assert len(html) <= output_bound
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        assert element.name in tags, element.name
        for name, value in element.attrs.items():
            assert not name.lower().startswith(_EVENT_HANDLER), (element.name, name)
            assert name.lower() != "style"
            if name.lower() in _URL_ATTRIBUTES:
                value = value if isinstance(value, str) else " ".join(value)
                assert not value.strip().lower().startswith(_SCHEMES), value


def timed(render, *args):
    started = time.monotonic()
    try:
        return render(*args)
    except RenderRefused as refused:
        assert str(refused)
        return None
    finally:
        assert time.monotonic() - started < render_limits.RENDER_SECONDS + SLACK


@pytest.mark.django_db
@pytest.mark.parametrize("body_format", [BodyFormat.MARKDOWN, BodyFormat.HTML])
@FUZZ
@given(text=texts)
def test_any_body_renders_safely_in_bounded_time_or_is_refused(body_format, text):
    html = timed(markup.render_post, text, body_format)
    if html is None:
        return
    # Markup expands text by a bounded factor: a footnote or a link is the longest.
    assert_safe(html, markup.POST_TAGS, output_bound=40 * len(text) + 200)
    found = timed(markup.article, html)
    if found is not None:
        assert_safe(found.html, markup.POST_TAGS, output_bound=2 * len(html) + 200)


@FUZZ
@given(text=texts)
def test_any_comment_renders_safely_in_bounded_time_or_is_refused(text):
    html = timed(markup.render_comment, text)
    if html is None:
        return
    assert_safe(html, markup.COMMENT_TAGS, output_bound=20 * len(text) + 200)
    for link in BeautifulSoup(html, "html.parser").find_all("a"):
        assert link.get("rel") == ["nofollow", "ugc"]
