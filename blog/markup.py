"""
The one pipeline that turns author and reader text into HTML.

Markdown passes raw HTML through untouched, so everything it produces is
sanitised by bleach on an explicit allowlist before it is stored or shown.
Posts get a generous allowlist (WordPress bodies carry raw ``<img>``,
``<h2>``, ``<figure>``...); comments get WordPress's small inline one.
"""

import html
import re

import bleach
import markdown
from bleach.linkifier import Linker

POST_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption",
        "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl",
        "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s",
        "samp", "small", "source", "span", "strike", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
    }
)  # fmt: skip

_COMMON_ATTRIBUTES = ["class", "id", "title", "lang", "dir"]
POST_ATTRIBUTES = {
    "*": _COMMON_ATTRIBUTES,
    "a": [*_COMMON_ATTRIBUTES, "href", "rel", "name"],
    "abbr": [*_COMMON_ATTRIBUTES],
    "blockquote": [*_COMMON_ATTRIBUTES, "cite"],
    "col": [*_COMMON_ATTRIBUTES, "span"],
    "del": [*_COMMON_ATTRIBUTES, "cite", "datetime"],
    "img": [
        *_COMMON_ATTRIBUTES,
        "src",
        "alt",
        "width",
        "height",
        "loading",
        "decoding",
        "srcset",
        "sizes",
    ],
    "ins": [*_COMMON_ATTRIBUTES, "cite", "datetime"],
    "ol": [*_COMMON_ATTRIBUTES, "start", "reversed", "type"],
    "q": [*_COMMON_ATTRIBUTES, "cite"],
    "source": ["srcset", "sizes", "type", "media"],
    "td": [*_COMMON_ATTRIBUTES, "colspan", "rowspan", "align"],
    "th": [*_COMMON_ATTRIBUTES, "colspan", "rowspan", "align", "scope"],
    "time": [*_COMMON_ATTRIBUTES, "datetime"],
}

COMMENT_TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "br", "cite", "code", "del", "em", "i", "p", "q", "s",
     "strong"}
)  # fmt: skip
COMMENT_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"], "q": ["cite"]}

# No data:, javascript:, vbscript: or any other scheme that can run code.
PROTOCOLS = frozenset({"http", "https", "mailto"})

# Elements whose text is never content: bleach would drop the tags but keep
# the text inside them, so they go whole before it runs. This is cosmetic;
# bleach's allowlist below is what keeps the output safe.
_NON_CONTENT = re.compile(
    r"<(script|style|iframe|object|embed|template|noscript|textarea|title)\b.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)

_POST_MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "footnotes", "toc", "sane_lists"]


def _sanitise(html, *, tags, attributes):
    html = _NON_CONTENT.sub("", html)
    return bleach.clean(
        html,
        tags=tags,
        attributes=attributes,
        protocols=PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def render_post(text):
    """Markdown (raw HTML allowed) to sanitised HTML for an article body."""
    html = markdown.markdown(text or "", extensions=_POST_MARKDOWN_EXTENSIONS, output_format="html")
    return _sanitise(html, tags=POST_TAGS, attributes=POST_ATTRIBUTES)


def _nofollow_ugc(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc"
    return attrs


_comment_linker = Linker(callbacks=[_nofollow_ugc], skip_tags={"code"})


def render_comment(text):
    """
    A reader's comment: plain text with paragraphs, a small inline allowlist,
    URLs turned into links, every link marked ``nofollow ugc``.
    """
    paragraphs = re.split(r"\n\s*\n", (text or "").strip())
    html = "".join(
        "<p>{}</p>".format(p.strip().replace("\n", "<br>\n")) for p in paragraphs if p.strip()
    )
    html = _sanitise(html, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES)
    return _comment_linker.linkify(html)


def plain_text(markup):
    """Tags removed, entities decoded and whitespace folded, for excerpts."""
    text = html.unescape(bleach.clean(markup or "", tags=set(), strip=True))
    return re.sub(r"\s+", " ", text).strip()
