"""
WordPress's paragraph rules: a Python port of ``wpautop()`` and
``shortcode_unautop()`` (wp-includes/formatting.php, WordPress 6.x).

Blank lines make paragraphs, single newlines ``<br />``; nothing happens
inside ``<pre>``, and block elements (tables, lists, headings, ``div``,
``figure``...) are never wrapped in ``<p>``. The port keeps WordPress's
order of regular expressions and their quirks on purpose: imported posts must
come out as they did on the WordPress site. The output is not sanitised;
``blog.markup`` does that last.

PHP's PCRE (without ``/u``) knows only ASCII ``\\s`` and ``\\w``, so every
pattern here is compiled with ``re.ASCII``: a no-break space is text, not a
blank line.
"""

import re

# The block elements of wpautop(). WordPress 6 took ``math`` out of the list
# (inline MathML is wrapped in a paragraph) and keeps its newlines instead.
ALL_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)

_A = re.ASCII


def _compile(pattern, flags=0):
    return re.compile(pattern, flags | _A)


# get_html_split_regex(): an element, a comment or a CDATA section. PCRE's
# conditional "(?(?=!--)comment|element)" becomes an alternation in order.
HTML_SPLIT = _compile(
    r"(<(?:"
    r"!(?=--)(?:-(?!->)[^\-]*+)*+(?:-->)?"  # a comment, to its end (or the end of input)
    r"|!\[CDATA\[[^\]]*+(?:\](?!\]>)[^\]]*+)*+(?:\]\]>)?"  # a CDATA section
    r"|[^>]*>?"  # any other element
    r"))"
)

# wp_spaces_regexp(): the whitespace WordPress allows around a standalone shortcode.
SPACES = r"(?:[\r\n\t ]|\xa0|&nbsp;)"

# WordPress's leading "\s*", as a run of whitespace that starts where the match
# starts: the same matches, without rescanning a long run from each of its
# characters (quadratic time on a body of spaces).
_LEADING_SPACE = r"(?:(?<!\s)\s+)?"

_MULTIPLE_BR = _compile(r"<br\s*/?>\s*<br\s*/?>")
_BLOCK_OPEN = _compile(r"(<" + ALL_BLOCKS + r"[\s/>])")
_BLOCK_CLOSE = _compile(r"(</" + ALL_BLOCKS + r">)")
_HR = _compile(r"(<hr\s*?/?>)")
_BEFORE_OPTION = _compile(_LEADING_SPACE + r"<option")
_AFTER_OPTION = _compile(r"</option>\s*")
_OBJECT_OPEN = _compile(r"(<object[^>]*>)\s*")
_OBJECT_CLOSE = _compile(_LEADING_SPACE + r"</object>")
_PARAM_EMBED = _compile(_LEADING_SPACE + r"(</?(?:param|embed)[^>]*>)\s*")
_MEDIA_OPEN = _compile(r"([<\[](?:audio|video)[^>\]]*[>\]])\s*")
_MEDIA_CLOSE = _compile(_LEADING_SPACE + r"([<\[]/(?:audio|video)[>\]])")
_SOURCE_TRACK = _compile(_LEADING_SPACE + r"(<(?:source|track)[^>]*>)\s*")
_FIGCAPTION_OPEN = _compile(_LEADING_SPACE + r"(<figcaption[^>]*>)")
_FIGCAPTION_CLOSE = _compile(r"</figcaption>\s*")
_MANY_NEWLINES = _compile(r"\n\n+")
_PARAGRAPH_BREAK = _compile(r"\n\s*\n")
_EMPTY_P = _compile(r"<p>\s*</p>")
_UNCLOSED_P_IN_BLOCK = _compile(r"<p>([^<]+)</(div|address|form)>")
_P_AROUND_BLOCK_TAG = _compile(r"<p>\s*(</?" + ALL_BLOCKS + r"[^>]*>)\s*</p>")
_P_AROUND_LI = _compile(r"<p>(<li.+?)</p>")
_P_AROUND_BLOCKQUOTE = _compile(r"<p><blockquote([^>]*)>", re.IGNORECASE)
_P_BEFORE_BLOCK_TAG = _compile(r"<p>\s*(</?" + ALL_BLOCKS + r"[^>]*>)")
_P_AFTER_BLOCK_TAG = _compile(r"(</?" + ALL_BLOCKS + r"[^>]*>)\s*</p>")
_KEEP_NEWLINES = _compile(r"<(script|style|svg|math).*?</\1>", re.DOTALL)
# WordPress's "(?<!<br />)\s*\n": a newline (and the whitespace before it) not
# right after a <br />. A match may start one character into a whitespace run
# that follows a <br /> (a WordPress quirk, kept), never deeper.
_NEWLINE_TO_BR = _compile(r"(?:(?<!<br />)(?<!\s)|(?<=<br />\s))\s*\n")
_BR_AFTER_BLOCK_TAG = _compile(r"(</?" + ALL_BLOCKS + r"[^>]*>)\s*<br />")
_BR_BEFORE_BLOCK_TAG = _compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)")
_LAST_NEWLINE = _compile(r"\n</p>$")

_NEWLINE_PLACEHOLDER = " <!-- wpnl --> "
_PRESERVED_NEWLINE = "<WPPreserveNewline />"


def html_split(text):
    """wp_html_split(): text, element, text, element... (elements at odd indexes)."""
    return HTML_SPLIT.split(text)


def replace_in_html_tags(text, replacements):
    """wp_replace_in_html_tags(): replace strings inside elements and comments only."""
    parts = html_split(text)
    for i in range(1, len(parts), 2):
        for needle, replacement in replacements.items():
            if needle in parts[i]:
                parts[i] = parts[i].replace(needle, replacement)
    return "".join(parts)


def _protect_pre(text):
    """Put each ``<pre>...</pre>`` aside behind a placeholder, as wpautop() does."""
    pre_tags = {}
    if "<pre" not in text:
        return text, pre_tags
    parts = text.split("</pre>")
    last = parts.pop()
    out = []
    for part in parts:
        start = part.find("<pre")
        if start == -1:  # Malformed HTML: a </pre> without its <pre>.
            out.append(part)
            continue
        name = f"<pre wp-pre-tag-{len(pre_tags)}></pre>"
        pre_tags[name] = part[start:] + "</pre>"
        out.append(part[:start] + name)
    out.append(last)
    return "".join(out), pre_tags


def wpautop(text, br=True):
    """Paragraphs from blank lines and ``<br />`` from single newlines, WordPress's way."""
    if (text or "").strip() == "":
        return ""
    text += "\n"  # Just to make things a little easier, pad the end.

    # Pre tags shouldn't be touched by autop.
    text, pre_tags = _protect_pre(text)

    # Change multiple <br>s into two line breaks, which will turn into paragraphs.
    text = _MULTIPLE_BR.sub("\n\n", text)
    # A double line break above block-level opening tags, below closing ones and after <hr>.
    text = _BLOCK_OPEN.sub("\n\n\\1", text)
    text = _BLOCK_CLOSE.sub("\\1\n\n", text)
    text = _HR.sub("\\1\n\n", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    # Newlines inside elements (between attributes) are not paragraph breaks.
    text = replace_in_html_tags(text, {"\n": _NEWLINE_PLACEHOLDER})

    if "<option" in text:
        text = _BEFORE_OPTION.sub("<option", text)
        text = _AFTER_OPTION.sub("</option>", text)
    if "</object>" in text:
        text = _OBJECT_OPEN.sub("\\1", text)
        text = _OBJECT_CLOSE.sub("</object>", text)
        text = _PARAM_EMBED.sub("\\1", text)
    # Collapse line breaks inside <audio> and <video>, around <source> and <track>.
    if "<source" in text or "<track" in text:
        text = _MEDIA_OPEN.sub("\\1", text)
        text = _MEDIA_CLOSE.sub("\\1", text)
        text = _SOURCE_TRACK.sub("\\1", text)
    if "<figcaption" in text:
        text = _FIGCAPTION_OPEN.sub("\\1", text)
        text = _FIGCAPTION_CLOSE.sub("</figcaption>", text)

    text = _MANY_NEWLINES.sub("\n\n", text)
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text) if p]
    text = "".join("<p>" + p.strip("\n") + "</p>\n" for p in paragraphs)

    # Under certain strange conditions it could create a P of entirely whitespace.
    text = _EMPTY_P.sub("", text)
    # Add a closing <p> inside <div>, <address>, or <form> tag if missing.
    text = _UNCLOSED_P_IN_BLOCK.sub("<p>\\1</p></\\2>", text)
    # If an opening or closing block element tag is wrapped in a <p>, unwrap it.
    text = _P_AROUND_BLOCK_TAG.sub("\\1", text)
    # In some cases <li> may get wrapped in <p>, fix them.
    text = _P_AROUND_LI.sub("\\1", text)
    # If a <blockquote> is wrapped with a <p>, move it inside the <blockquote>.
    text = _P_AROUND_BLOCKQUOTE.sub("<blockquote\\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    # No <p> right before, and no </p> right after, a block element's tag.
    text = _P_BEFORE_BLOCK_TAG.sub("\\1", text)
    text = _P_AFTER_BLOCK_TAG.sub("\\1", text)

    if br:
        # Newlines in <script>, <style>, <svg> and <math> stay newlines.
        text = _KEEP_NEWLINES.sub(lambda m: m[0].replace("\n", _PRESERVED_NEWLINE), text)
        text = text.replace("<br>", "<br />").replace("<br/>", "<br />")
        # Any newline not preceded by a <br /> gets one.
        text = _NEWLINE_TO_BR.sub("<br />\n", text)
        text = text.replace(_PRESERVED_NEWLINE, "\n")

    # No <br /> right after a block tag, nor right before a subset of them.
    text = _BR_AFTER_BLOCK_TAG.sub("\\1", text)
    text = _BR_BEFORE_BLOCK_TAG.sub("\\1", text)
    text = _LAST_NEWLINE.sub("</p>", text)

    # Put the <pre> elements back, untouched.
    for name, pre in pre_tags.items():
        text = text.replace(name, pre)

    # Restore newlines in all elements.
    if "<!-- wpnl -->" in text:
        text = text.replace(_NEWLINE_PLACEHOLDER, "\n").replace("<!-- wpnl -->", "\n")
    return text


def _unautop_pattern(tag_names):
    names = "|".join(re.escape(name) for name in tag_names)
    return _compile(
        r"<p>"
        + SPACES
        + r"*+"  # Optional leading whitespace.
        + r"("  # 1: The shortcode.
        + r"\["
        + rf"({names})"  # 2: Its name,
        + r"(?![\w-])"  # not followed by a word character or hyphen.
        + r"[^\]/]*"  # Inside the opening tag: not a closing bracket or slash,
        + r"(?:/(?!\])[^\]/]*)*?"  # or a slash not followed by a closing bracket.
        + r"(?:"
        + r"/\]"  # Self-closing tag and closing bracket,
        + r"|"
        + r"\]"  # or a closing bracket,
        + r"(?:"  # then optionally anything up to the closing tag:
        + r"[^\[]*+"  # not an opening bracket,
        + r"(?:\[(?!/\2\])[^\[]*+)*+"  # or one not starting the closing tag,
        + r"\[/\2\]"  # and the closing tag.
        + r")?"
        + r")"
        + r")"
        + SPACES
        + r"*+"  # Optional trailing whitespace.
        + r"</p>"
    )


def shortcode_unautop(text, tag_names):
    """shortcode_unautop(): a registered shortcode alone in a paragraph loses the ``<p>``."""
    tag_names = list(tag_names)
    if not tag_names:
        return text
    return _unautop_pattern(tag_names).sub("\\1", text)
