"""
The one Markdown -> sanitised HTML pipeline: hostile input loses everything
that can run code, WordPress-style HTML and Markdown features survive.

The hostile-input tests run on both body formats: Markdown, and WordPress
HTML (wpautop and shortcodes first), which must end in the same sanitiser.
"""

import html
import re

import pytest

from blog.markup import BodyFormat, plain_text, render_comment, render_post
from tests.helpers import balance_problems, one, parse, text_of, visible_text

pytestmark = pytest.mark.no_database

DANGEROUS_TAGS = (
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input",
    "button", "textarea", "meta", "link", "base", "body",
)  # fmt: skip
URL_ATTRIBUTES = ("href", "src", "cite", "action", "formaction", "srcset", "xlink:href", "poster")
# Elements that load their src (or poster) as the page opens: this site's files only.
MEDIA_URL_ATTRIBUTES = {"audio": ("src",), "video": ("src", "poster"), "source": ("src",)}
FORMATS = [BodyFormat.MARKDOWN, BodyFormat.HTML]
SAFE_SCHEMES = ("http", "https", "mailto")


def url_scheme(value):
    """The scheme a browser would see: it drops control characters and spaces first."""
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match[1] if match else None


def assert_cannot_run_code(output):
    """No executable element, no event handler or style attribute, no dangerous URL."""
    lowered = output.lower()
    for tag in DANGEROUS_TAGS:
        assert f"<{tag}" not in lowered, f"<{tag}> survived in {output!r}"
    assert "<!--" not in output
    for node in parse(output).find_all():
        for name, value in node.attrs.items():
            assert not name.startswith("on"), f"handler {name}= survived in {output!r}"
            assert name != "style", f"style= survived in {output!r}"
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value)
                assert scheme in (None, *SAFE_SCHEMES), f"{name}={value!r} in {output!r}"
    decoded = re.sub(r"\s+", "", html.unescape(lowered))
    for scheme in ("javascript:", "vbscript:", "data:"):
        assert scheme not in decoded, f"{scheme} survived in {output!r}"
    assert not re.search(r"<[^>]*\son\w+\s*=", output, re.IGNORECASE)
    for node in parse(output).find_all(list(MEDIA_URL_ATTRIBUTES)):
        for name in MEDIA_URL_ATTRIBUTES[node.name]:
            value = node.attrs.get(name)
            assert value is None or re.fullmatch(r"/[^/\\\s][^\s\\]*", value), (
                f"<{node.name} {name}={value!r}> loads from elsewhere in {output!r}"
            )
    assert "autoplay" not in lowered


# (id, input, text that must not show, text that must survive)
HOSTILE_POSTS = [
    ("script-upper", "<SCRIPT>alert(1)</SCRIPT>Hello", "alert(1)", "Hello"),
    (
        "script-mixed-case-with-attributes",
        '<ScRiPt type="text/javascript" src="https://evil.example/x.js"></ScRiPt>Hello',
        "evil.example",
        "Hello",
    ),
    (
        "script-in-markdown-list",
        "* first <script>alert(1)</script>\n* second",
        "alert(1)",
        "first second",
    ),
    ("script-in-blockquote", "> quoted <script>alert(1)</script>", "alert(1)", "quoted"),
    ("style-element", "<style>body{display:none}</style>Visible", "display:none", "Visible"),
    (
        "img-onerror",
        '<img src="https://example.com/a.jpg" onerror="alert(1)">',
        "alert(1)",
        "",
    ),
    ("img-onerror-unquoted", "<img src=x onerror=alert(1)//>", "alert(1)", ""),
    (
        "a-onclick",
        '<a href="https://example.com" onclick="steal()">link</a>',
        "steal()",
        "link",
    ),
    ("body-onload", '<body onload="alert(1)">Body text</body>', "alert(1)", "Body text"),
    ("javascript-link", '<a href="javascript:alert(1)">click</a>', "alert(1)", "click"),
    ("javascript-mixed-case", '<a href="JaVaScRiPt:alert(1)">click</a>', "alert(1)", "click"),
    ("javascript-tab-entity", '<a href="jav&#x09;ascript:alert(1)">click</a>', "alert", "click"),
    ("javascript-newline-entity", '<IMG SRC="jav&#x0A;ascript:alert(1)">', "alert", ""),
    (
        "javascript-hex-entities",
        '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">click</a>',
        "alert(1)",
        "click",
    ),
    ("javascript-decimal-entity", '<a href="&#106;avascript:alert(1)">click</a>', "alert", "click"),
    ("javascript-named-colon", '<a href="javascript&colon;alert(1)">click</a>', "", "click"),
    ("javascript-leading-space", '<a href=" javascript:alert(1)">click</a>', "alert", "click"),
    ("javascript-split-by-newline", '<a href="java\nscript:alert(1)">click</a>', "alert", "click"),
    ("vbscript-link", '<a href="vbscript:msgbox(1)">click</a>', "msgbox", "click"),
    ("markdown-javascript-link", "[x](javascript:alert(1))", "alert(1)", "x"),
    ("markdown-javascript-image", "![pic](javascript:alert(1))", "alert(1)", ""),
    (
        "data-url-link",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
        "base64",
        "click",
    ),
    ("data-url-image", '<img src="data:image/png;base64,iVBORw0KGgo=">', "base64", ""),
    (
        "markdown-data-link",
        "[x](data:text/html,<script>alert(1)</script>)",
        "alert(1)",
        "x",
    ),
    ("iframe", '<iframe src="https://evil.example/"></iframe>After', "evil.example", "After"),
    (
        "object-and-embed",
        '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y">'
        "Kept",
        "evil.example",
        "Kept",
    ),
    ("svg-onload", '<svg onload="alert(1)"><circle r="1"/></svg>Shape', "alert(1)", "Shape"),
    (
        "math-xlink",
        '<math><mi xlink:href="javascript:alert(1)">m</mi></math>',
        "alert(1)",
        "m",
    ),
    ("nested-script", "<<script>script>alert(1)<</script>/script>", "alert(1)", ""),
    ("split-script", "<scr<script>ipt>alert(1)</script>", "alert(1)", ""),
    (
        "form-and-input",
        '<form action="https://evil.example/login"><input name="password"></form>Text',
        "evil.example",
        "Text",
    ),
    ("style-attribute", '<p style="position:fixed;top:0">Styled</p>', "position", "Styled"),
    ("html-comment", "Before <!-- secret note --> after", "secret note", "Before after"),
    (
        "conditional-comment",
        "<!--[if IE]><script>alert(1)</script><![endif]-->After",
        "alert(1)",
        "After",
    ),
    (
        "meta-refresh",
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">Text',
        "evil.example",
        "Text",
    ),
    (
        "base-and-link",
        '<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/c">T',
        "evil.example",
        "T",
    ),
    ("audio-from-elsewhere", '<audio controls src="https://evil.example/a.mp3"></audio>A', "", "A"),
    ("audio-autoplay", '<audio autoplay controls src="/media/a.mp3"></audio>A', "", "A"),
    ("video-poster-protocol-relative", '<video poster="//evil.example/x.png"></video>V', "", "V"),
    ("video-src-backslash", '<video src="/\\evil.example/v.mp4"></video>V', "", "V"),
    ("video-src-entities", '<video src="&#47;&#47;evil.example/v.mp4"></video>V', "", "V"),
    ("source-javascript", '<video><source src="javascript:alert(1)"></video>V', "alert", "V"),
    ("source-data", '<audio><source src="data:audio/mp3;base64,AAAA"></audio>A', "base64", "A"),
    ("audio-onplay", '<audio src="/a.mp3" onplay="alert(1)"></audio>A', "alert", "A"),
]

# Markdown syntax: in an HTML body it is harmless text that shows as written.
MARKDOWN_ONLY = {
    "script-in-markdown-list",
    "markdown-javascript-link",
    "markdown-javascript-image",
    "markdown-data-link",
}

# Shortcodes: in a Markdown body they are harmless text that shows as written.
HOSTILE_SHORTCODES = [
    (
        "caption-attribute-script",
        '[caption width="300" caption="<script>alert(1)</script>Nice"]<img src="/a.jpg">[/caption]',
        "alert(1)",
        "Nice",
    ),
    (
        "caption-text-handler",
        '[caption width="300"]<img src="/a.jpg" onerror="alert(1)"> Text[/caption]',
        "alert(1)",
        "Text",
    ),
    (
        "caption-id-breakout",
        '[caption id=\'x" onmouseover="alert(1)\' caption="C"]<img src="/a.jpg">[/caption]',
        "alert(1)",
        "C",
    ),
    (
        "caption-align-breakout",
        '[caption align=\'a"><script>alert(1)</script>\' caption="C"]x[/caption]',
        "alert(1)",
        "C",
    ),
    ("audio-javascript", '[audio src="javascript:alert(1)"]', "", ""),
    (
        "audio-elsewhere",
        '[audio src="https://evil.example/a.mp3" mp3="//evil.example/b.mp3"]',
        "",
        "",
    ),
    ("audio-quote-breakout", "[audio src='/a.mp3\" onplay=\"alert(1)']", "", ""),
    (
        "video-poster-elsewhere",
        '[video src="/v.mp4" poster="https://evil.example/p.png"]',
        "evil",
        "",
    ),
    ("video-poster-javascript", '[video src="/v.mp4" poster="javascript:alert(1)"]', "alert", ""),
    ("video-autoplay", '[video src="/v.mp4" autoplay="1"]', "", ""),
    ("embed-javascript", "[embed]javascript:alert(1)[/embed]", "", ""),
    ("embed-breakout", '[embed]https://a.example/"onmouseover="alert(1)[/embed]', "", ""),
    ("autoembed-breakout", 'Look\n\nhttps://a.example/x"onclick="alert(1)\n\nEnd', "", "End"),
]


def hostile_cases():
    for case in HOSTILE_POSTS:
        for body_format in FORMATS:
            if body_format == BodyFormat.HTML and case[0] in MARKDOWN_ONLY:
                continue
            yield pytest.param(body_format, *case[1:], id=f"{body_format}-{case[0]}")
    for case in HOSTILE_SHORTCODES:
        yield pytest.param(BodyFormat.HTML, *case[1:], id=f"html-{case[0]}")


@pytest.mark.parametrize(("body_format", "source", "gone", "kept"), list(hostile_cases()))
def test_render_post_removes_code_from_hostile_input(body_format, source, gone, kept):
    output = render_post(source, body_format)

    assert_cannot_run_code(output)
    if gone:
        assert gone not in visible_text(output)
        assert gone not in output
    assert kept in visible_text(output)
    assert balance_problems(output) == []


@pytest.mark.parametrize("body_format", FORMATS)
def test_render_post_keeps_the_image_but_not_its_handler(body_format):
    output = render_post(
        '<img src="https://example.com/a.jpg" alt="A" onerror="alert(1)">', body_format
    )

    (img,) = parse(output).select("img")
    assert img.attrs == {"src": "https://example.com/a.jpg", "alt": "A"}


@pytest.mark.parametrize("body_format", FORMATS)
def test_render_post_keeps_the_link_text_but_drops_a_javascript_href(body_format):
    (link,) = parse(render_post('<a href="JaVaScRiPt:alert(1)">click</a>', body_format)).select("a")

    assert "href" not in link.attrs
    assert text_of(link) == "click"


@pytest.mark.parametrize("body_format", FORMATS)
def test_render_post_shows_escaped_markup_from_nested_script_tricks_as_text(body_format):
    output = render_post("<<script>script>alert(1)<</script>/script>", body_format)

    assert "<script" not in output.lower()
    assert "alert(1)" not in visible_text(output)
    if body_format == BodyFormat.MARKDOWN:
        assert "&lt;" in output  # Markdown escapes the stray "<".


@pytest.mark.parametrize(
    "source",
    [
        "<b>bold\n\nNext paragraph",
        "<em>unclosed *markdown*",
        "<div>open div",
        "<table><tr><td>cell",
        '<a href="https://example.com">open link',
        "<ul><li>one<li>two",
        "<i><b>mis</i>nested</b>",
        "</div></div>stray closing tags",
        "<blockquote><p>quote without end",
        '[caption caption="C"]<div><img src="/a.jpg">[/caption]',
        '[caption]<img src="/a.jpg"> text <b>open[/caption]',
        "<pre>unclosed\n\npre",
    ],
)
@pytest.mark.parametrize("body_format", FORMATS)
def test_render_post_output_is_well_formed_so_nothing_leaks_past_the_body(source, body_format):
    output = render_post(source, body_format)

    assert balance_problems(output) == []
    page = parse(f'<div class="entry-content">{output}</div><p class="after">After</p>')
    (after,) = page.select("p.after")
    assert [node.name for node in after.parents] == ["[document]"]


@pytest.mark.parametrize("body_format", FORMATS)
def test_render_post_unclosed_bold_is_closed_within_the_body(body_format):
    output = render_post("<b>bold\n\nNext paragraph", body_format)

    assert "bold" in " ".join(text_of(b) for b in parse(output).select("b"))
    assert output.count("<b>") == output.count("</b>")


WORDPRESS_HTML = [
    ("heading", "<h2>Section title</h2>", "<h2>Section title</h2>"),
    (
        "image-with-size",
        '<img src="https://example.com/a.jpg" alt="x" width="300" height="200">',
        '<img src="https://example.com/a.jpg" alt="x" width="300" height="200">',
    ),
    (
        "link-with-title",
        '<a href="https://example.com" title="t">Example</a>',
        '<a href="https://example.com" title="t">Example</a>',
    ),
    ("mailto-link", '<a href="mailto:me@example.com">Mail</a>', 'href="mailto:me@example.com"'),
    ("relative-image", '<img src="/media/2014/02/a.jpg" alt="a">', 'src="/media/2014/02/a.jpg"'),
    (
        "blockquote",
        "<blockquote>Quoted words</blockquote>",
        "<blockquote>Quoted words</blockquote>",
    ),
    ("list", "<ul><li>One</li><li>Two</li></ul>", "<ul><li>One</li><li>Two</li></ul>"),
    (
        "table",
        "<table><tr><th>H</th></tr><tr><td>Cell</td></tr></table>",
        "<td>Cell</td>",
    ),
    (
        "figure-with-caption",
        '<figure><img src="https://example.com/a.jpg" alt="a"><figcaption>Caption</figcaption>'
        "</figure>",
        '<figure><img src="https://example.com/a.jpg" alt="a"><figcaption>Caption</figcaption>'
        "</figure>",
    ),
    ("pre-code", "<pre><code>x = 1</code></pre>", "<pre><code>x = 1</code></pre>"),
    (
        "strong-em",
        "<strong>Strong</strong> and <em>em</em>",
        "<strong>Strong</strong> and <em>em</em>",
    ),
    (
        "caption-div-with-class-and-id",
        '<div class="wp-caption" id="attachment_1">Caption</div>',
        '<div class="wp-caption" id="attachment_1">Caption</div>',
    ),
]


@pytest.mark.parametrize(
    ("source", "expected"),
    [case[1:] for case in WORDPRESS_HTML],
    ids=[case[0] for case in WORDPRESS_HTML],
)
def test_render_post_keeps_wordpress_html(source, expected):
    assert expected in render_post(source)


def test_render_post_builds_markdown_tables():
    output = render_post("| Name | Age |\n|------|-----|\n| Ann  | 31  |")

    table = one(parse(output), "table")
    assert [text_of(th) for th in table.select("th")] == ["Name", "Age"]
    assert [text_of(td) for td in table.select("td")] == ["Ann", "31"]


def test_render_post_shows_script_inside_fenced_code_as_text():
    output = render_post("```\n<script>alert(1)</script>\n```")

    assert "<script" not in output
    code = one(one(parse(output), "pre"), "code")
    assert text_of(code) == "<script>alert(1)</script>"


def test_render_post_shows_script_inside_inline_code_as_text():
    output = render_post("Use `<script>` carefully.")

    assert "<script" not in output
    assert text_of(one(parse(output), "code")) == "<script>"


def test_render_post_links_footnotes_both_ways():
    output = render_post("Claim.[^1]\n\n[^1]: The source.")

    tree = parse(output)
    (ref,) = tree.select("a.footnote-ref")
    assert ref.attrs["href"] == "#fn:1"
    (note,) = tree.find_all(id="fn:1")
    assert "The source." in text_of(note)
    (back,) = tree.select("a.footnote-backref")
    assert back.attrs["href"] == "#fnref:1"


def test_render_post_gives_headings_ids():
    assert render_post("## Hello world") == '<h2 id="hello-world">Hello world</h2>'


@pytest.mark.parametrize(
    "page_id", ["content", "comments", "respond", "top", "comment-12", "id_email", "site-search-q"]
)
def test_render_post_drops_author_ids_the_page_itself_uses(page_id):
    # An author's id="content" would take the skip link; id="comment-12" a comment's anchor.
    html = render_post(f'<p id="{page_id}" class="lead">Hello</p>\n\n## {page_id}')
    tree = parse(html)
    assert tree.find(id=page_id) is None
    assert tree.p.attrs == {"class": "lead"}


def test_render_post_keeps_author_ids_of_their_own():
    tree = parse(render_post('<p id="intro">Hello</p>'))
    assert tree.p.attrs["id"] == "intro"


@pytest.mark.parametrize("body_format", FORMATS)
def test_render_post_of_nothing_is_empty(body_format):
    assert render_post("", body_format) == ""
    assert render_post(None, body_format) == ""


def test_render_post_keeps_players_of_local_files():
    source = (
        '<audio controls preload="metadata" loop muted src="/media/a.mp3">A</audio>'
        '<video controls playsinline width="640" height="360" poster="/media/p.jpg">'
        '<source src="/media/v.webm" type="video/webm"><source src="/media/v.mp4" type="video/mp4">'
        "</video>"
    )

    tree = parse(render_post(source, BodyFormat.HTML))

    assert one(tree, "audio").attrs == {
        "controls": "",
        "preload": "metadata",
        "loop": "",
        "muted": "",
        "src": "/media/a.mp3",
    }
    video = one(tree, "video")
    assert video.attrs["poster"] == "/media/p.jpg"
    assert (video.attrs["width"], video.attrs["height"]) == ("640", "360")
    assert [(s.attrs["src"], s.attrs["type"]) for s in video.select("source")] == [
        ("/media/v.webm", "video/webm"),
        ("/media/v.mp4", "video/mp4"),
    ]


def test_render_post_html_format_makes_paragraphs_where_markdown_would_not():
    source = "Line one\nline two\n\n<div>Block</div>\n\n**not bold**"

    as_html = parse(render_post(source, BodyFormat.HTML))
    as_markdown = parse(render_post(source, BodyFormat.MARKDOWN))

    assert [text_of(p) for p in as_html.select("p")] == ["Line one line two", "**not bold**"]
    assert len(as_html.select("p")[0].select("br")) == 1
    assert as_html.select("strong") == []
    assert text_of(one(as_markdown, "strong")) == "not bold"


# Comments: WordPress's small inline allowlist.

COMMENT_KEPT = [
    "a",
    "abbr",
    "b",
    "blockquote",
    "cite",
    "code",
    "del",
    "em",
    "i",
    "q",
    "s",
    "strong",
]


@pytest.mark.parametrize("tag", COMMENT_KEPT)
def test_render_comment_keeps_inline_tags(tag):
    output = render_comment(f"Some <{tag}>marked</{tag}> words")

    (node,) = parse(output).select(tag)
    assert text_of(node) == "marked"


@pytest.mark.parametrize(
    ("source", "tag", "text"),
    [
        ("<h2>Shouting</h2>", "h2", "Shouting"),
        ('<img src="https://example.com/a.jpg" alt="pic">', "img", ""),
        ("<table><tr><td>Cell</td></tr></table>", "table", "Cell"),
        ('<div class="big">Block</div>', "div", "Block"),
        ("<ul><li>Item</li></ul>", "li", "Item"),
    ],
)
def test_render_comment_strips_tags_outside_the_allowlist_but_keeps_their_text(source, tag, text):
    output = render_comment(source)

    assert f"<{tag}" not in output
    assert text in visible_text(output)


def test_render_comment_drops_attributes_outside_the_allowlist():
    output = render_comment('<b class="huge" style="color:red" onclick="x()">bold</b>')

    (bold,) = parse(output).select("b")
    assert bold.attrs == {}


def test_render_comment_removes_scripts():
    output = render_comment("<script>alert(1)</script>Nice post")

    assert_cannot_run_code(output)
    assert visible_text(output) == "Nice post"


def test_render_comment_drops_javascript_links():
    (link,) = parse(render_comment('<a href="javascript:alert(1)">x</a>')).select("a")

    assert "href" not in link.attrs


def test_render_comment_autolinks_urls():
    output = render_comment("See https://example.com/page and www.example.org today")

    links = parse(output).select("a")
    assert [a.attrs["href"] for a in links] == [
        "https://example.com/page",
        "http://www.example.org",
    ]
    assert [text_of(a) for a in links] == ["https://example.com/page", "www.example.org"]


@pytest.mark.parametrize(
    "source",
    [
        "Visit https://example.com",
        '<a href="https://example.com">mine</a>',
        '<a href="https://example.com" rel="follow">follow me</a>',
        '<a href="https://example.com" rel="noopener" target="_blank">new tab</a>',
    ],
)
def test_render_comment_marks_every_link_nofollow_ugc(source):
    (link,) = parse(render_comment(source)).select("a")

    assert link.attrs["rel"] == "nofollow ugc"
    assert link.attrs["href"] == "https://example.com"
    assert "target" not in link.attrs


def test_render_comment_does_not_link_urls_inside_code():
    output = render_comment("<code>https://example.com</code>")

    assert "<a" not in output


def test_render_comment_makes_paragraphs_from_blank_lines():
    output = render_comment("First line\nsecond line\n\n\n\nNext paragraph\n   \nLast")

    paragraphs = parse(output).select("p")
    assert [text_of(p) for p in paragraphs] == ["First line second line", "Next paragraph", "Last"]
    assert len(paragraphs[0].select("br")) == 1


def test_render_comment_of_nothing_is_empty():
    assert render_comment("") == ""
    assert render_comment("  \n\n  ") == ""


def test_plain_text_removes_tags_and_decodes_entities():
    assert plain_text("<p>Fish &amp; <b>chips</b></p>\n\n<p>  more \n text</p>") == (
        "Fish & chips more text"
    )


def test_plain_text_keeps_escaped_markup_as_text():
    assert plain_text("<p>Write &lt;b&gt; for bold</p>") == "Write <b> for bold"


def test_plain_text_of_nothing_is_empty():
    assert plain_text("") == ""
    assert plain_text(None) == ""
