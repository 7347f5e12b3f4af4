"""
Time the pathological corpus (tests/render_corpus.py) through the post and
comment pipelines and print a table: each text's size, how long it took
before the limits of issue 12 and now, and what happened (rendered, or
refused and why). Figures only: tests/test_markup_limits.py asserts.

    make bench        # runs this too
    .venv/bin/python bench/render_corpus.py [--repeat 3]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Seconds on the clock each text took to render (and, for a post, to read for
# its article fields) before the limits: main at bc25b0a, Python-Markdown 3.11.3, CPython
# 3.13.0, one process per text on a shared 2-core machine (load about 6).
# None: still running after 20 s, when it was stopped; a string: it failed.
BEFORE = {
    ("[ run + more", "markdown"): None,
    ("[ run x30000", "markdown"): None,
    ("<h2>a x20000", "markdown"): None,
    ("<h2>a x20000", "html"): None,
    ("_* x100000", "markdown"): None,
    ("<h2>a x16000", "markdown"): None,
    ("<h2>a x16000", "html"): None,
    ("_* x50000", "markdown"): None,
    ("[ x99000", "markdown"): None,
    ("[a run", "markdown"): None,
    ("![ run", "markdown"): None,
    ("] run", "markdown"): 0.16,
    ("[]( run", "markdown"): None,
    ("many links", "markdown"): 2.44,
    ("many reference links", "markdown"): 1.00,
    ("< run", "markdown"): 4.00,
    ("autolinks", "markdown"): 1.87,
    ("* run", "markdown"): 0.98,
    ("_ run", "markdown"): 0.40,
    ("**a run", "markdown"): 11.33,
    ("*a_ run", "markdown"): None,
    ("` run", "markdown"): 0.28,
    ("`a run", "markdown"): 5.45,
    ("\\ run", "markdown"): 2.76,
    ("& entities", "markdown"): 9.79,
    ("nested lists", "markdown"): 3.56,
    ("nested blockquotes", "markdown"): 2.60,
    ("nested blockquotes, lines", "markdown"): 6.43,
    ("nested list and quote", "markdown"): 2.15,
    ("indented code", "markdown"): 0.35,
    ("fences", "markdown"): None,
    ("headings", "markdown"): None,
    ("setext headings", "markdown"): None,
    ("footnotes", "markdown"): 13.42,
    ("huge table", "markdown"): None,
    ("wide table", "markdown"): 12.48,
    ("<div> nesting", "markdown"): None,
    ("<div> nesting", "html"): None,
    ("<b> unclosed", "html"): None,
    ("<b><i> misnested", "html"): None,
    ("<table> nesting", "html"): "RecursionError after 9.7 s",
    ("<p> in <a>", "html"): None,
    ("<!-- run", "html"): 2.62,
    ("unclosed comment", "markdown"): 0.48,
    ("attributes", "html"): 5.83,
    ("headings with ids", "html"): None,
    ("autop blank lines", "html"): 8.87,
    ("autop newlines", "html"): 0.06,
    ("autop spaces", "html"): 0.28,
    ("autop <br> runs", "html"): 0.13,
    ("autop blocks", "html"): 4.51,
    ("autop <pre>", "html"): 12.27,
    ("many headings", "html"): None,
    ("many headings", "markdown"): None,
    ("<a run", "markdown"): None,
    ("nested shortcodes", "html"): 1.44,
    ("open shortcodes", "html"): None,
    ("shortcode brackets", "html"): 10.60,
    ("shortcode attributes", "html"): 0.14,
    ("[[ escapes", "html"): 9.21,
    ("auto-embeds", "html"): 1.90,
    ("comment [ run", "comment"): 0.00,
    ("comment links", "comment"): 0.02,
    ("comment <b> unclosed", "comment"): 4.67,
    ("comment paragraphs", "comment"): 0.95,
    ("comment <a> in <p>", "comment"): 0.33,
}


def render(kind, text):
    """Seconds on the clock and of CPU, and the outcome, of one text through its pipeline."""
    from blog import markup

    started, cpu = time.perf_counter(), time.process_time()
    try:
        if kind == "comment":
            html = markup.render_comment(text)
        else:
            html = markup.article(markup.render_post(text, kind)).html
        outcome = f"rendered, {len(html):,} characters"
    except markup.RenderRefused as refused:
        outcome = "refused: " + _reason(str(refused))
    return time.perf_counter() - started, time.process_time() - cpu, outcome


def _reason(message):
    for key, short in (
        ("characters long", "size"),
        ("elements inside one another", "unclosed elements"),
        ("levels deep", "Markdown nesting"),
        ("never closes", "step budget"),
        ("took too long", "time budget"),
    ):
        if key in message:
            return short
    return message[:40]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--repeat", type=int, default=1, help="runs per text (the best is kept)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from blog import render_limits
    from tests.render_corpus import CORPUS

    print(
        f"Pathological corpus: {len(CORPUS)} texts; limits: body "
        f"{render_limits.POST_BODY_MAX_CHARS:,} characters, {render_limits.MAX_OPEN_ELEMENTS}"
        f" unclosed elements, Markdown depth {render_limits.MAX_MARKDOWN_DEPTH}, "
        f"{render_limits.MARKDOWN_STEPS:,} Markdown steps, {render_limits.RENDER_SECONDS} s "
        f"backstop; load average {os.getloadavg()[0]:.1f}\n"
    )
    header = ("text", "format", "chars", "before (s)", "after (s)", "after, CPU (s)", "after")
    rows = []
    worst = worst_cpu = 0.0
    for name, kind, text in CORPUS:
        runs = [render(kind, text) for _ in range(args.repeat)]
        seconds, cpu, outcome = min(runs)
        worst, worst_cpu = max(worst, seconds), max(worst_cpu, cpu)
        before = BEFORE.get((name, kind), "?")
        if before is None:
            before = "> 20"
        elif isinstance(before, float):
            before = f"{before:.2f}"
        rows.append((name, kind, f"{len(text):,}", before, f"{seconds:.3f}", f"{cpu:.3f}", outcome))
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    # The budget is CPU time: on a busy machine the clock runs on while the
    # process waits its turn.
    print(f"\nSlowest now: {worst:.3f} s on the clock, {worst_cpu:.3f} s of CPU")


if __name__ == "__main__":
    main()
