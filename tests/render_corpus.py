"""
Pathological bodies and comments: shapes that made (or could make) a renderer
do far more than linear work. ``tests/test_markup_limits.py`` asserts each is
refused with a message or rendered within the step budget, and
``bench/render_corpus.py`` times them.

Each entry is ``(name, kind, text)``: ``kind`` is a ``BodyFormat`` value for a
post body, or ``"comment"``. Sizes are those of the accepted limits or just
over, so a refusal by size alone proves nothing about the shape: the shapes
near the limit are also given at a size that is accepted.
"""

N = 9_000  # the run of "[" (13.8 s in Python-Markdown 3.11)
MAX = 100_000  # blog.render_limits.POST_BODY_MAX_CHARS


def _nested_list(depth):
    return "\n".join("    " * i + "- item" for i in range(depth))


def _table(rows, columns):
    head = "| " + " | ".join(f"h{c}" for c in range(columns)) + " |"
    rule = "|" + "---|" * columns
    body = ("| " + " | ".join("x" for _ in range(columns)) + " |\n") * rows
    return f"{head}\n{rule}\n{body}"


def _footnotes(count):
    uses = "".join(f"x[^{i}] " for i in range(count))
    notes = "".join(f"[^{i}]: n\n" for i in range(count))
    return f"{uses}\n\n{notes}"


def _references(count):
    uses = " ".join(f"[a{i}][r{i}]" for i in range(count))
    defs = "\n".join(f"[r{i}]: https://example.com/{i}" for i in range(count))
    return f"{uses}\n\n{defs}\n"


CORPUS = [
    # The findings.
    ("[ run + more", "markdown", "[" * N + "\n\n<!--more-->\n\nrest"),
    ("[ run x30000", "markdown", "[" * 30_000),
    ("<h2>a x20000", "markdown", "<h2>a " * 20_000),
    ("<h2>a x20000", "html", "<h2>a " * 20_000),
    ("_* x100000", "markdown", "_*" * 100_000),
    # The same shapes at the accepted size, so the size limit alone cannot refuse them.
    ("<h2>a x16000", "markdown", "<h2>a " * 16_000),
    ("<h2>a x16000", "html", "<h2>a " * 16_000),
    ("_* x50000", "markdown", "_*" * 50_000),
    ("[ x99000", "markdown", "[" * 99_000),
    # Brackets and links.
    ("[a run", "markdown", "[a" * N),
    ("![ run", "markdown", "![" * N),
    ("] run", "markdown", "]" * 30_000),
    ("[]( run", "markdown", "[](" * 10_000),
    ("many links", "markdown", "[a](https://example.com/) " * 3_800),
    ("many reference links", "markdown", _references(2_000)),
    ("< run", "markdown", "<" * 60_000),
    ("autolinks", "markdown", "<https://example.com/> " * 4_300),
    # Emphasis.
    ("* run", "markdown", "*" * 60_000),
    ("_ run", "markdown", "a" + "_" * 60_000 + "a"),
    ("**a run", "markdown", "**a" * 20_000),
    ("*a_ run", "markdown", "*a_" * 20_000),
    ("` run", "markdown", "`" * 60_000),
    ("`a run", "markdown", "`a" * 30_000),
    ("\\ run", "markdown", "\\" * 60_000),
    ("& entities", "markdown", "&amp;" * 20_000),
    # Block nesting.
    ("nested lists", "markdown", _nested_list(200)),
    ("nested blockquotes", "markdown", ">" * 5_000 + " deep"),
    ("nested blockquotes, lines", "markdown", "\n".join(">" * i + " x" for i in range(300))),
    ("nested list and quote", "markdown", "".join("- > " for _ in range(2_000)) + "x"),
    ("indented code", "markdown", "    code\n" * 10_000),
    ("fences", "markdown", "```\n" * 20_000),
    ("headings", "markdown", "# h\n" * 10_000),
    ("setext headings", "markdown", "a\n=\n" * 10_000),
    ("footnotes", "markdown", _footnotes(2_000)),
    ("huge table", "markdown", _table(7_000, 3)),
    ("wide table", "markdown", _table(3, 3_000)),
    # Raw HTML in either format.
    ("<div> nesting", "markdown", "<div>" * 20_000),
    ("<div> nesting", "html", "<div>" * 20_000),
    ("<b> unclosed", "html", "<b>x" * 20_000),
    ("<b><i> misnested", "html", "<b><i>x</b></i>" * 6_600),
    ("<table> nesting", "html", "<table><tr><td>" * 5_000),
    ("<p> in <a>", "html", "<a href='/x'><p>" * 6_200),
    ("<!-- run", "html", "<!--" * 24_000),
    ("unclosed comment", "markdown", "<!--" + "a" * 99_000),
    ("attributes", "html", "<p " + 'a="b" ' * 16_000 + ">x</p>"),
    ("headings with ids", "html", "<h2 id='x'>h</h2>" * 5_000),
    # WordPress's rules.
    ("autop blank lines", "html", "a\n\n" * 33_000),
    ("autop newlines", "html", "\n" * 99_000 + "a"),
    ("autop spaces", "html", " " * 99_000 + "\na"),
    ("autop <br> runs", "html", "<br>" * 24_000),
    ("autop blocks", "html", "<div>a</div>\n" * 7_500),
    ("autop <pre>", "html", "<pre>a</pre>" * 8_000),
    ("many headings", "html", "<h2>Notes</h2>\n" * 6_000),
    ("many headings", "markdown", "## Notes\n\n" * 8_000),
    ("<a run", "markdown", "<a " * 30_000),
    ("nested shortcodes", "html", "[caption]" * 5_000 + "<img src='/a'> x" + "[/caption]" * 5_000),
    ("open shortcodes", "html", "[caption " * 11_000),
    ("shortcode brackets", "html", "[embed]" * 14_000),
    ("shortcode attributes", "html", "[audio " + "a=b " * 24_000 + "]"),
    ("[[ escapes", "html", "[[caption]]" * 9_000),
    ("auto-embeds", "html", "https://example.com/\n" * 4_700),
    # Comments (5,000 characters).
    ("comment [ run", "comment", "[" * 5_000),
    ("comment links", "comment", "http://a.example/ " * 250),
    ("comment <b> unclosed", "comment", "<b>" * 1_600),
    ("comment paragraphs", "comment", "a\n\n" * 1_600),
    ("comment <a> in <p>", "comment", "<a href='http://x.example/'><p>" * 150),
]  # fmt: skip
