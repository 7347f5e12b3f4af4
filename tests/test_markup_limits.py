"""
The renderer's limits (blog/render_limits.py): sizes, nesting, the Markdown
step budget, and the time backstop. Each counted limit is asserted with the
clock switched off, so these refusals do not depend on the machine's speed.
"""

import gc
import threading
import time

import pytest

from blog import markup, render_limits
from blog.markup import BodyFormat, RenderRefused
from tests.render_corpus import CORPUS

pytestmark = pytest.mark.no_database

MARKDOWN, HTML = BodyFormat.MARKDOWN, BodyFormat.HTML


@pytest.fixture
def no_clock(monkeypatch):
    """Only the counted limits: the time backstop off."""
    monkeypatch.setattr(render_limits, "RENDER_SECONDS", 0)


def markdown_steps(text):
    """The steps Markdown's inline patterns spent on ``text``."""
    meter = render_limits.Meter(10**12)
    markup._markdown(text, meter)
    return 10**12 - meter.left


def refusal(text, body_format=MARKDOWN):
    with pytest.raises(RenderRefused) as refused:
        markup.render_post(text, body_format)
    return str(refused.value)


# The issue's findings ----------------------------------------------------------


def test_the_issues_bracket_run_is_refused_by_the_step_budget(no_clock):
    message = refusal("[" * 9000 + "\n\n<!--more-->\n\nrest")
    assert message == render_limits.TOO_MUCH_WORK
    assert "backslash" in message


def test_a_bracket_run_the_size_of_a_body_is_refused_by_steps_not_size(no_clock):
    assert refusal("[" * 99_000) == render_limits.TOO_MUCH_WORK


@pytest.mark.parametrize("body_format", [MARKDOWN, HTML])
def test_unclosed_headings_are_refused_by_the_nesting_limit(no_clock, body_format):
    message = refusal("<h2>a " * 16_000, body_format)
    assert "opens more than 40 elements" in message
    assert "<h2>…</h2>" in message


def test_the_issues_oversized_shapes_are_refused_by_size(no_clock):
    assert "200,000 characters long; the limit is 100,000" in refusal("_*" * 100_000)


# Sizes --------------------------------------------------------------------------


@pytest.mark.parametrize("body_format", [MARKDOWN, HTML])
def test_a_body_at_the_size_limit_renders_one_over_is_refused(no_clock, body_format):
    words = ("word " * 20_000)[: markup.POST_BODY_MAX_CHARS]
    assert "word" in markup.render_post(words, body_format)
    message = refusal(words + "x", body_format)
    assert message.startswith("The body is 100,001 characters long; the limit is 100,000.")


def test_a_comment_over_its_size_is_refused():
    markup.render_comment("a" * markup.COMMENT_MAX_CHARS)
    with pytest.raises(RenderRefused, match="The comment is 65,526 characters long"):
        markup.render_comment("a" * (markup.COMMENT_MAX_CHARS + 1))


# Nesting -----------------------------------------------------------------------


@pytest.mark.parametrize("body_format", [MARKDOWN, HTML])
def test_elements_nest_up_to_the_limit(no_clock, body_format):
    limit = render_limits.MAX_OPEN_ELEMENTS
    html = markup.render_post("<div>" * limit + "deep" + "</div>" * limit, body_format)
    assert html.count("<div>") == limit
    assert "one too many: <div> near character 200" in refusal("<div>" * (limit + 1), body_format)


def test_closed_elements_and_self_closing_ones_do_not_count(no_clock):
    body = "<div><b>x</b></div>" * 2_000 + "<p>para" * 2_000 + "<li>item" * 2_000
    markup.render_post(body, HTML)
    # An end tag closes what was opened after its element, as parsers do.
    markup.render_post("<div><span><b>x</div>" * 30, HTML)


def test_a_comment_nesting_too_deep_is_refused():
    with pytest.raises(RenderRefused, match="The comment opens more than 40 elements"):
        markup.render_comment("<b>" * 41)


def test_markdown_quotes_and_lists_nest_up_to_the_limit(no_clock):
    depth = render_limits.MAX_MARKDOWN_DEPTH
    assert markup.render_post(">" * depth + " deep").count("<blockquote>") == depth
    assert "Line 1 of the body is nested more than 16 levels" in refusal(">" * (depth + 1) + " x")
    nested_list = "\n".join("    " * i + "- item" for i in range(depth + 1))
    assert "Line 17 of the body" in refusal(nested_list)


def test_html_bodies_may_indent_as_deep_as_they_like(no_clock):
    markup.render_post("<p>" + " " * 200 + "indented</p>", HTML)


# The step budget -------------------------------------------------------------


def test_the_step_budget_is_about_the_square_of_an_unclosed_run():
    # A bracket that finds no end read the rest of the paragraph, once for
    # each pattern that tries it: n²/2 steps a pattern, four times as many
    # for twice the brackets, which is what Markdown spends on them.
    small, large = markdown_steps("[" * 1_000), markdown_steps("[" * 2_000)
    assert 3.9 < large / small < 4.1
    assert large > 2_000 * 2_000 / 2
    assert markdown_steps("[" * 500) < render_limits.MARKDOWN_STEPS


def test_ordinary_long_posts_use_a_fraction_of_the_step_budget():
    paragraph = (
        "Some *emphasis*, a [link](https://example.com/) and `code`, "
        "with **strong** words and a footnote-free sentence or two. "
    ) * 8
    body = "".join(f"## Part {i}\n\n{paragraph}\n\n- a **list** item\n\n" for i in range(120))
    assert len(body) > 90_000
    assert markdown_steps(body) < render_limits.MARKDOWN_STEPS / 3


def test_closed_markup_is_charged_only_what_it_takes():
    links = "[a](https://example.com/) " * 3_000  # 78,000 characters, one paragraph
    assert markdown_steps(links) < len(links) * 3


# The time backstop -----------------------------------------------------------


def test_a_render_past_the_time_budget_is_refused_with_a_message(monkeypatch):
    monkeypatch.setattr(render_limits, "RENDER_SECONDS", 0.01)
    with pytest.raises(RenderRefused, match="took too long to render"):
        markup.render_post("# heading\n" * 5_000)


def test_the_time_budget_leaves_no_timer_behind(monkeypatch):
    import signal

    monkeypatch.setattr(render_limits, "RENDER_SECONDS", 0.5)
    markup.render_post("Hello")
    assert signal.getitimer(signal.ITIMER_PROF)[0] == 0


def burn(seconds):
    """Spend ``seconds`` of this thread's CPU time."""
    until = time.thread_time() + seconds
    while time.thread_time() < until:
        pass


def test_the_time_budget_charges_the_render_not_other_threads(monkeypatch):
    # A live server or an executor busy in another thread uses the process's
    # CPU too; an ordinary body rendered meanwhile is not refused for it.
    monkeypatch.setattr(render_limits, "RENDER_SECONDS", 0.05)

    @render_limits.bounded("body")
    def render_while_another_thread_works():
        worker = threading.Thread(target=burn, args=(0.3,))
        worker.start()
        worker.join()
        return markup.render_post("Hello")

    assert render_while_another_thread_works() == "<p>Hello</p>"
    with pytest.raises(RenderRefused):
        render_limits.bounded("body")(burn)(0.3)


def test_the_time_budget_charges_the_render_not_full_collections(monkeypatch):
    # Any allocation may start a full collection of a large heap (a server
    # that has run for days, a test worker late in the suite).
    monkeypatch.setattr(render_limits, "RENDER_SECONDS", 0.05)
    heap = [[index] for index in range(200_000)]

    @render_limits.bounded("body")
    def render_after_long_collections():
        started = time.thread_time()
        while time.thread_time() - started < 0.2:
            gc.collect()
        return markup.render_post("Hello")

    assert render_after_long_collections() == "<p>Hello</p>"
    assert len(heap) == 200_000


# Heading ids are linear ----------------------------------------------------------


def test_many_headings_with_one_text_get_unique_ids(no_clock):
    html = markup.render_post("<h2>Notes</h2>\n" * 3_000, HTML)
    found = markup.article(html)
    ids = [h.id for h in found.headings]
    assert len(set(ids)) == 3_000
    assert ids[:3] == ["section-notes", "section-notes-2", "section-notes-3"]


# The corpus ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "text"), CORPUS, ids=[f"{n} ({k})" for n, k, _ in CORPUS])
def test_pathological_text_is_rendered_safely_or_refused(monkeypatch, name, kind, text):
    # Whatever stops it (a counted limit or the backstop, here short so the
    # suite stays quick), the answer is HTML or a refusal with a reason.
    monkeypatch.setattr(render_limits, "RENDER_SECONDS", 0.5)
    try:
        if kind == "comment":
            html = markup.render_comment(text)
        else:
            html = markup.render_post(text, kind)
            markup.article(html)
    except RenderRefused as refused:
        assert len(str(refused)) > 40
    else:
        assert "<script" not in html.lower()


def test_tags_mentioned_in_code_are_not_counted(no_clock):
    body = (
        "Wrap it in a `<div>`, or a `<section>`. " * 100 + "\n\n```\n" + "<div>\n" * 100 + "```\n"
    )
    html = markup.render_post(body)
    assert html.count("&lt;div&gt;") == 200


def test_tags_markdown_passes_through_are_counted_again_as_html(no_clock):
    # Inside a raw HTML block Markdown makes no code span: the tags are real.
    message = refusal("<div>\n`" + "<b>x" * 50 + "`\n</div>")
    assert "opens more than 40 elements" in message
    assert "near character" not in message
