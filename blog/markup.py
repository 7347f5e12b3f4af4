"""
The one pipeline that turns author and reader text into HTML.

Markdown passes raw HTML through untouched, so everything it produces is
sanitised by bleach on an explicit allowlist before it is stored or shown.
Posts get a generous allowlist (WordPress bodies carry raw ``<img>``,
``<h2>``, ``<figure>``...); comments get WordPress's small inline one.

A post body is Markdown or, for WordPress's content, HTML: that goes through
WordPress's own rules first (``blog/shortcodes.py``: block comments out,
``wpautop`` paragraphs from ``blog/autop.py``, ``[caption]``, ``[gallery]``,
``[audio]``, ``[video]``, ``[embed]``), then through the same sanitiser.
"""

import html
import math
import re
from typing import NamedTuple

import bleach
import markdown
from bleach import html5lib_shim
from bleach.linkifier import Linker
from django.db import models
from django.utils.text import slugify
from markdown.extensions.toc import slugify as toc_slugify

from . import render_limits, shortcodes
from .render_limits import POST_BODY_MAX_CHARS, RenderRefused
from .shortcodes import is_local_url

__all__ = ["POST_BODY_MAX_CHARS", "RenderRefused"]

POST_TAGS = frozenset(
    {
        "a", "abbr", "acronym", "address", "audio", "b", "big", "blockquote", "br",
        "caption", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn",
        "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre",
        "q", "s", "samp", "small", "source", "span", "strike", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr",
        "u", "ul", "var", "video",
    }
)  # fmt: skip

# The ids the theme and the admin's preview use themselves. An author's id
# that took one would capture the skip link, the comments anchor or a form
# field's label, so the sanitiser drops it.
PAGE_IDS = frozenset(
    {"content", "content-main", "comments", "comments-title", "respond", "top", "pagination"}
)
_PAGE_ID_PATTERN = re.compile(r"(comment-|id_|revision-|restore-|md-|markdown-|search-|site-).*")


def is_page_id(value):
    return value in PAGE_IDS or _PAGE_ID_PATTERN.fullmatch(value) is not None


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
    # Players of files on this site: src and poster pass only when local
    # (_post_attribute). Never autoplay: a page must not start making noise
    # or spending a reader's data on its own, muted or not.
    "audio": [*_COMMON_ATTRIBUTES, "controls", "preload", "loop", "muted", "src"],
    "video": [
        *_COMMON_ATTRIBUTES,
        "controls",
        "preload",
        "loop",
        "muted",
        "playsinline",
        "src",
        "poster",
        "width",
        "height",
    ],
    "source": ["srcset", "sizes", "type", "media", "src"],
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


# Elements that load what their src (or poster) names, which must be on this site.
_LOCAL_MEDIA = {"audio": {"src"}, "video": {"src", "poster"}, "source": {"src"}}


def _post_attribute(tag, name, value):
    """POST_ATTRIBUTES, less ids the page itself uses and media from other sites."""
    if name == "id" and is_page_id(value):
        return False
    if name in _LOCAL_MEDIA.get(tag, ()) and not is_local_url(value):
        return False
    return name in POST_ATTRIBUTES.get(tag, ()) or name in POST_ATTRIBUTES["*"]


class BodyFormat(models.TextChoices):
    MARKDOWN = "markdown", "Markdown"
    # WordPress's content: HTML with its paragraph rules and shortcodes.
    HTML = "html", "HTML (WordPress)"


def check_post(text, body_format=BodyFormat.MARKDOWN):
    """
    Refuse (``RenderRefused``) a body over the size and nesting limits of
    ``blog/render_limits.py``, in one pass and before any parser sees it.
    """
    text = text or ""
    render_limits.check_size(text, POST_BODY_MAX_CHARS)
    if body_format == BodyFormat.HTML:
        render_limits.check_open_elements(text)
    else:
        render_limits.check_open_elements(render_limits.markdown_without_code(text))
        render_limits.check_markdown_depth(text)


@render_limits.bounded("body")
def render_post(text, body_format=BodyFormat.MARKDOWN):
    """
    An article body, Markdown (raw HTML allowed) or WordPress HTML, to
    sanitised HTML. ``RenderRefused`` for a body over the limits: its message
    is for the author.
    """
    check_post(text, body_format)
    if body_format == BodyFormat.HTML:
        html = shortcodes.render(text or "")
    else:
        html = render_limits.run_metered(
            lambda meter: _markdown(text or "", meter), render_limits.MARKDOWN_STEPS
        )
    # And the HTML made, before html5lib parses it: shortcodes and Markdown
    # add elements of their own.
    render_limits.check_open_elements(html, typed=False)
    return _sanitise(html, tags=POST_TAGS, attributes=_post_attribute)


def _markdown(text, meter):
    md = markdown.Markdown(extensions=_POST_MARKDOWN_EXTENSIONS, output_format="html")
    render_limits.meter_inline_patterns(md, meter)
    return md.convert(text)


def _nofollow_ugc(attrs, new=False):
    attrs[(None, "rel")] = "nofollow ugc"
    return attrs


_comment_linker = Linker(callbacks=[_nofollow_ugc], skip_tags={"code"})


# The longest comment rendered: WordPress's own limit, so an import keeps
# every comment WordPress took. Readers' comments stop at Comment.body's
# max_length (5,000) in the form.
COMMENT_MAX_CHARS = 65_525


@render_limits.bounded("comment")
def render_comment(text):
    """
    A reader's comment: plain text with paragraphs, a small inline allowlist,
    URLs turned into links, every link marked ``nofollow ugc``.
    ``RenderRefused`` over ``COMMENT_MAX_CHARS`` or the nesting limit.
    """
    text = text or ""
    render_limits.check_size(text, COMMENT_MAX_CHARS, "The comment")
    render_limits.check_open_elements(text, "The comment")
    paragraphs = re.split(r"\n\s*\n", text.strip())
    html = "".join(
        "<p>{}</p>".format(p.strip().replace("\n", "<br>\n")) for p in paragraphs if p.strip()
    )
    html = _sanitise(html, tags=COMMENT_TAGS, attributes=COMMENT_ATTRIBUTES)
    return _comment_linker.linkify(html)


# Letters and digits, joined by an apostrophe or a hyphen ("what's", "e-mail").
# static/js/admin/post-editor.js counts with the same pattern while the author types.
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
WORDS_PER_MINUTE = 200


def count_words(html):
    return len(_WORD.findall(plain_text(html)))


def reading_minutes(words):
    """At 200 words a minute, and never less than a minute."""
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def plain_text(markup):
    """Tags removed, entities decoded and whitespace folded, for excerpts."""
    text = html.unescape(bleach.clean(markup or "", tags=set(), strip=True))
    return re.sub(r"\s+", " ", text).strip()


class Heading(NamedTuple):
    level: int
    id: str
    text: str


class Outline(NamedTuple):
    html: str
    headings: list[Heading]


class Article(NamedTuple):
    """What a post's page and lists show of its body, read in one parse (``article()``)."""

    html: str  # with heading ids
    headings: list[Heading]
    words: int  # as count_words() counts them
    first_paragraph: str  # plain text of the first <p>, or of all the body without one


# Generated heading ids start with this, so no heading can take an id the
# page itself uses (#content, #comments, #respond...).
HEADING_ID_PREFIX = "section-"

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# html5lib (bleach's own copy, which parsed the HTML when it was sanitised):
# a fragment parsed as browsers parse it, and serialised as bleach does, so
# sanitised HTML that needs no change comes back byte for byte. Parsers and
# serialisers keep state while they work: one per call, for threads.
_walker = html5lib_shim.getTreeWalker("etree")


def _parse(fragment):
    """An HTML fragment as an ElementTree element holding its nodes."""
    return html5lib_shim.HTMLParser(namespaceHTMLElements=False).parseFragment(fragment or "")


def _serialise(root):
    serializer = html5lib_shim.HTMLSerializer(
        quote_attr_values="always",
        use_best_quote_char=False,
        omit_optional_tags=False,
        escape_lt_in_attrs=True,
        resolve_entities=False,
        alphabetical_attributes=False,
    )
    # Bleach keeps &nbsp; as written; the parser made it a character.
    return serializer.render(_walker(root)).replace("\xa0", "&nbsp;")


def _elements(root):
    """Every element below ``root``, in document order; comments left out."""
    return (el for el in root.iter() if el is not root and isinstance(el.tag, str))


def _text(element):
    """
    An element's text, tags removed and whitespace folded, as ``plain_text``
    gives it: bleach puts a line break where it strips a block-level tag, so
    ``<td>four</td></table><figcaption>Table`` is two words, not one.
    """
    parts = []

    def walk(node):
        for child in node:
            if isinstance(child.tag, str):  # not a comment
                if child.tag in html5lib_shim.HTML_TAGS_BLOCK_LEVEL:
                    parts.append("\n")
                parts.append(child.text or "")
                walk(child)
            parts.append(child.tail or "")

    parts.append(element.text or "")
    walk(element)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _first_paragraph(root):
    return _text(next((el for el in _elements(root) if el.tag == "p"), root))


def _markdown_toc_id(existing, text):
    """Whether ``existing`` is the id Markdown's toc extension gave a heading on save."""
    slug = toc_slugify(text, "-")
    return existing == slug or re.fullmatch(re.escape(slug) + r"_\d+", existing) is not None


def _keepable(existing, text):
    """An id the author chose, that no page id or generated id can clash with."""
    return bool(
        existing
        and not re.search(r"\s", existing)
        and not is_page_id(existing)
        and not _markdown_toc_id(existing, text)
    )


def outline(body_html):
    """
    Sanitised article HTML with an id on every heading, and the headings.

    Run when a post is saved (``blog/posts/derived.py``), on the parsed tree.
    Ids an author set in raw HTML stay (the post allowlist allows ``id``);
    the ones Markdown's toc extension made, and any that clash with the
    page's, become ``section-<slug>``, de-duplicated with ``-2``, ``-3``,
    and links in the body to the old id follow.
    """
    found = article(body_html)
    return Outline(found.html, found.headings)


@render_limits.bounded("body")
def article(body_html):
    """
    ``outline()``'s HTML and headings, the word count and the first
    paragraph's text, from one parse of the sanitised HTML.
    """
    if not body_html:
        return Article("", [], 0, "")
    root = _parse(body_html)
    words = len(_WORD.findall(_text(root)))
    first_paragraph = _first_paragraph(root)
    found, used = [], set()
    for element in _elements(root):
        if element.tag in _HEADING_TAGS:
            found.append((element, element.get("id") or "", _text(element)))
        elif element.get("id") is not None:
            used.add(element.get("id"))
    kept = set()
    for _element, existing, text in found:
        if text and _keepable(existing, text) and existing not in used:
            used.add(existing)
            kept.add(existing)

    headings, renamed, suffixes = [], {}, {}
    for element, existing, text in found:
        if not text:
            continue
        if existing in kept:
            heading_id = existing
            kept.discard(existing)  # a second heading with it gets a new one
        else:
            base = HEADING_ID_PREFIX + (slugify(text, allow_unicode=True) or "heading")
            # Counting on from the last suffix given: many headings with one
            # text would otherwise each try every suffix before theirs.
            heading_id, n = base, suffixes.get(base, 2)
            while heading_id in used:
                heading_id, n = f"{base}-{n}", n + 1
            suffixes[base] = n
            used.add(heading_id)
            if existing:
                renamed.setdefault(existing, heading_id)
        # The id first, then the heading's other attributes as they were.
        attributes = {"id": heading_id, **{k: v for k, v in element.attrib.items() if k != "id"}}
        element.attrib.clear()
        element.attrib.update(attributes)
        headings.append(Heading(int(element.tag[1]), heading_id, text))
    renamed = {old: new for old, new in renamed.items() if old not in used}
    if renamed:
        for element in _elements(root):
            href = element.get("href") if element.tag == "a" else None
            if href and href.startswith("#") and href[1:] in renamed:
                element.set("href", "#" + renamed[href[1:]])
    return Article(_serialise(root), headings, words, first_paragraph)
