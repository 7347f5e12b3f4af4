"""
WordPress's shortcodes, for bodies in the HTML (WordPress) format.

A small port of WordPress's shortcode parser (``get_shortcode_regex()``,
``shortcode_parse_atts()``, ``do_shortcode()`` in wp-includes/shortcodes.php)
with the handlers an imported blog needs:

- ``[caption]`` (and its old name ``[wp_caption]``) → ``<figure class="wp-caption
  alignX">`` with a ``<figcaption>``;
- ``[gallery ids="1,2,3" columns="3"]`` → a grid of library images (one query);
- ``[audio]`` and ``[video]`` → players of files on this site only;
- ``[embed]URL[/embed]``, and a bare URL alone on its line (WordPress's
  auto-embeds) → a plain link: nothing is loaded from another site.

Any other ``[name]`` stays as the text it is; ``[[name]]`` shows ``[name]``.
Handlers build HTML from escaped values, but nothing here is the security
boundary: ``blog.markup`` sanitises the result on its allowlist afterwards
(and checks again there that media load only from this site).
"""

import html
import re

from . import autop
from .media.storage import is_stored_file_url

_A = re.ASCII

AUDIO_TYPES = {
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "flac": "audio/flac",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
}
VIDEO_TYPES = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
}
GALLERY_DEFAULT_COLUMNS = 3
GALLERY_MAX_COLUMNS = 9


# Where media may come from -------------------------------------------------

_LOCAL_URL = re.compile(r"/(?![/\\])[^\x00-\x20\\]*", _A)


def is_local_url(value):
    """
    Whether ``value`` is a path on this site: it starts with one ``/``.

    ``//host/x``, ``/\\host/x`` (browsers read ``\\`` as ``/``) and any scheme are
    refused, and so are control characters and spaces anywhere (browsers drop
    tabs and newlines, which could turn ``/\\t/host`` into ``//host``). Files of
    the site's own media storage count as local where it is a bucket elsewhere.
    """
    if not value:
        return False
    return _LOCAL_URL.fullmatch(value) is not None or is_stored_file_url(value)


# The parser ----------------------------------------------------------------


def _shortcode_pattern(names):
    """get_shortcode_regex() for ``names``, with WordPress's numbered groups."""
    names = "|".join(re.escape(name) for name in names)
    return re.compile(
        r"\["
        r"(\[?)"  # 1: An optional second "[" escaping the shortcode: [[tag]].
        rf"({names})"  # 2: The name,
        r"(?![\w-])"  # not followed by a word character or hyphen.
        r"("  # 3: Its attributes, up to "]" or "/]".
        r"[^\]/]*"
        r"(?:/(?!\])[^\]/]*)*?"
        r")"
        r"(?:"
        r"(/)\]"  # 4: Self-closing...
        r"|"
        r"\]"
        r"(?:"
        r"("  # 5: ...or its content, up to the closing tag (optional).
        r"[^\[]*+"
        r"(?:\[(?!/\2\])[^\[]*+)*+"
        r")"
        r"\[/\2\]"
        r")?"
        r")"
        r"(\]?)",  # 6: An optional second "]" escaping the shortcode.
        _A,
    )


_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)"""
    r"""|'([^']*)'(?:\s|$)"""
    r"""|(\S+)(?:\s|$)""",
    _A,
)
_BALANCED_TAGS = re.compile(r"[^<]*+(?:<[^>]*+>[^<]*+)*+")
_NAME_CANDIDATE = re.compile(r"\[/?([^<>&/\[\]\x00-\x20=]++)", _A)


_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_C_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]{1,2})|(.))", re.DOTALL)


def _stripcslashes(value):
    """PHP's stripcslashes(): C escapes (``\\n``, ``\\101``, ``\\x41``) decoded, ``\\X`` → ``X``."""

    def unescape(match):
        octal, hexadecimal, char = match.groups()
        if octal:
            return chr(int(octal, 8) & 0xFF)
        if hexadecimal:
            return chr(int(hexadecimal, 16))
        return _C_ESCAPES.get(char, char)

    return _C_ESCAPE.sub(unescape, value)


def parse_attributes(text):
    """
    shortcode_parse_atts(): ``name="x" name2='y' name3=z "positional"`` → a dict.

    Names are lower-cased; positional values get the keys 0, 1, 2... A value
    with an unclosed HTML tag in it is emptied, as WordPress does.
    """
    text = re.sub("[\u00a0\u200b]+", " ", text or "")
    attributes, position = {}, 0
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        if groups[0]:
            attributes[groups[0].lower()] = _stripcslashes(groups[1])
        elif groups[2]:
            attributes[groups[2].lower()] = _stripcslashes(groups[3])
        elif groups[4]:
            attributes[groups[4].lower()] = _stripcslashes(groups[5])
        else:
            value = next((g for g in groups[6:] if g is not None), "")
            attributes[position] = _stripcslashes(value)
            position += 1
    for key, value in attributes.items():
        if "<" in value and _BALANCED_TAGS.fullmatch(value) is None:
            attributes[key] = ""
    return attributes


def do_shortcode(text, handlers=None):
    """
    do_shortcode(): every registered shortcode in ``text`` replaced by its
    handler's HTML. Brackets inside HTML tags and comments are not shortcodes.
    """
    handlers = SHORTCODES if handlers is None else handlers
    if "[" not in text:
        return text
    found = set(_NAME_CANDIDATE.findall(text))
    names = [name for name in handlers if name in found]
    if not names:
        return text
    # Hide brackets inside elements and comments (WordPress's do_shortcodes_in_html_tags()).
    parts = autop.html_split(text)
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].replace("[", "&#91;").replace("]", "&#93;")
    text = "".join(parts)

    def replace(match):
        if match[1] == "[" and match[6] == "]":
            return match[0][1:-1]  # [[name]] is the text [name].
        attributes = parse_attributes(match[3])
        output = handlers[match[2]](attributes, match[5], handlers)
        return match[1] + output + match[6]

    text = _shortcode_pattern(names).sub(replace, text)
    # Always restore the brackets (unescape_invalid_shortcodes()).
    return text.replace("&#91;", "[").replace("&#93;", "]")


# Helpers for handlers ------------------------------------------------------


def _attr(value):
    return html.escape(value, quote=True)


def _value(attributes, name, default=""):
    """An attribute as text, its HTML entities decoded (``&amp;`` → ``&``)."""
    return html.unescape(str(attributes.get(name, default))).strip()


def _positive_int(value):
    try:
        number = int(str(value).strip())
    except ValueError:
        return None
    return number if number > 0 else None


def _link(url):
    return f'<a href="{_attr(url)}">{html.escape(url)}</a>'


def _clean_url(value):
    """An author's URL with what a URL cannot hold (spaces, quotes, <, >) percent-encoded."""
    for char, code in ((" ", "%20"), ('"', "%22"), ("<", "%3C"), (">", "%3E")):
        value = value.replace(char, code)
    return value


_URL_ELSEWHERE = re.compile(r'(?:https?:)?//[^\s<>"\\]+', re.IGNORECASE | _A)


def _link_elsewhere(url):
    """A link to a page on another site, for http(s) URLs only; nothing for other schemes."""
    return _link(url) if _URL_ELSEWHERE.fullmatch(url) else ""


# [caption] -----------------------------------------------------------------

_CAPTIONED = re.compile(
    r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.IGNORECASE | re.DOTALL
)
_EDGE_BREAKS = re.compile(r"^(?:\s|<br\s*/?>)+|(?:\s|<br\s*/?>)+$", re.IGNORECASE)
_CLASS_NAME = re.compile(r"[^A-Za-z0-9_-]")


def caption(attributes, content, handlers):
    """
    img_caption_shortcode(): the image (or linked image) and its caption, in a
    ``<figure class="wp-caption alignX">``. The caption is the ``caption``
    attribute or, newer style, the text after the image. Unlike WordPress, a
    missing ``width`` does not drop the caption (it only set an inline style,
    which the sanitiser would remove anyway).
    """
    content = content or ""
    text = str(attributes.get("caption", ""))
    if not text:
        match = _CAPTIONED.match(content.strip())
        if match:
            content, text = match[1], match[2]
    text = _EDGE_BREAKS.sub("", text)
    if not text:
        return do_shortcode(content, handlers)
    classes = ["wp-caption", _value(attributes, "align", "alignnone")]
    classes += _value(attributes, "class").split()
    classes = [_CLASS_NAME.sub("", name) for name in classes]
    figure_id = _CLASS_NAME.sub("", _value(attributes, "id"))
    id_attribute = f' id="{_attr(figure_id)}"' if figure_id else ""
    return (
        f'<figure{id_attribute} class="{_attr(" ".join(filter(None, classes)))}">'
        f"{do_shortcode(content, handlers)}<figcaption>{text}</figcaption></figure>"
    )


# [gallery] -----------------------------------------------------------------


def _gallery_ids(attributes):
    ids = []
    raw = _value(attributes, "ids") or _value(attributes, "include")
    for piece in raw.split(","):
        number = _positive_int(piece)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


def gallery(attributes, content, handlers):
    """
    gallery_shortcode() for library images: ``ids`` (or ``include``) are
    ``blog.media`` Image primary keys, fetched in one query and shown in the
    order given; unknown ids are skipped. Without ids WordPress would show the
    post's attachments, which are not tracked here, so nothing is shown.

    Plain ``<img src>`` of the originals: ``responsive_images`` adds their
    ``srcset`` where the page shows the body.
    """
    from blog.media.models import Image  # Models load after this module.

    ids = _gallery_ids(attributes)
    if not ids:
        return ""
    images = Image.objects.in_bulk(ids)
    items = []
    for pk in ids:
        image = images.get(pk)
        if image is None:
            continue
        caption_html = (
            f"<figcaption>{html.escape(image.caption.strip())}</figcaption>"
            if image.caption.strip()
            else ""
        )
        items.append(
            '<figure class="gallery-item">'
            f'<img src="{_attr(image.url)}" alt="{_attr(image.alt_text or "")}"'
            f' width="{image.width}" height="{image.height}">'
            f"{caption_html}</figure>"
        )
    if not items:
        return ""
    columns = _positive_int(_value(attributes, "columns")) or GALLERY_DEFAULT_COLUMNS
    columns = min(columns, GALLERY_MAX_COLUMNS)
    return f'<figure class="gallery gallery-columns-{columns}">{"".join(items)}</figure>'


# [audio] and [video] -------------------------------------------------------


def _extension(url):
    path = url.split("?", 1)[0].split("#", 1)[0]
    return path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""


def _media_files(attributes, types):
    """The files named by ``src`` (or a bare URL), then by each format attribute."""
    files = []
    src = _clean_url(_value(attributes, "src") or _value(attributes, 0))
    if src:
        files.append((src, types.get(_extension(src), "")))
    for extension, mime_type in types.items():
        url = _clean_url(_value(attributes, extension))
        if url and url not in [f for f, _ in files]:
            files.append((url, mime_type))
    return files


def _player(tag, attributes, types, extra_attributes):
    """
    One ``<audio>`` or ``<video>`` of the local files, with a link to the first
    inside as the fallback; files on other sites become plain links instead.
    Never ``autoplay``: WordPress's attribute is ignored.
    """
    files = _media_files(attributes, types)
    local = [(url, mime) for url, mime in files if is_local_url(url)]
    links = " ".join(
        filter(None, (_link_elsewhere(url) for url, _ in files if not is_local_url(url)))
    )
    if not local:
        return links
    preload = "none" if _value(attributes, "preload") == "none" else "metadata"
    parts = [tag, "controls", f'preload="{preload}"']
    for flag in ("loop", "muted"):
        if _value(attributes, flag).lower() in {"1", "on", "true", "yes", flag}:
            parts.append(flag)
    parts += extra_attributes
    if len(local) == 1:
        parts.append(f'src="{_attr(local[0][0])}"')
        sources = ""
    else:
        sources = "".join(
            f'<source src="{_attr(url)}"' + (f' type="{mime}"' if mime else "") + ">"
            for url, mime in local
        )
    player = f"<{' '.join(parts)}>{sources}{_link(local[0][0])}</{tag}>"
    return f"{player} {links}" if links else player


def audio(attributes, content, handlers):
    """wp_audio_shortcode(): ``[audio src=…]`` or ``[audio mp3=… ogg=…]``, local files only."""
    return _player("audio", attributes, AUDIO_TYPES, [])


def video(attributes, content, handlers):
    """wp_video_shortcode(): ``[video src=… width=… height=… poster=…]``, local files only."""
    extra = []
    for name in ("width", "height"):
        number = _positive_int(_value(attributes, name))
        if number:
            extra.append(f'{name}="{number}"')
    poster = _clean_url(_value(attributes, "poster"))
    if poster and is_local_url(poster):
        extra.append(f'poster="{_attr(poster)}"')
    return _player("video", attributes, VIDEO_TYPES, extra)


# [embed] and auto-embeds ---------------------------------------------------

_URL = re.compile(r'https?://[^\s<>"]+', re.IGNORECASE | _A)


def embed(attributes, content, handlers):
    """WP_Embed::shortcode() with no oEmbed: a link to the URL (WordPress's ``linkifunknown``)."""
    url = html.unescape((content or "").strip()) or _value(attributes, "src")
    return _link_elsewhere(url)


_URL_ON_ITS_LINE = re.compile(
    r'^(\s*)(https?://[^\s<>"]+)(\s*)$', re.IGNORECASE | re.MULTILINE | _A
)
_URL_IN_ITS_PARAGRAPH = re.compile(
    r'(<p(?: [^>]*)?>\s*)(https?://[^\s<>"]+)(\s*</p>)', re.IGNORECASE | _A
)
_ANY_URL = re.compile(r"(^|\s|>)https?://", re.IGNORECASE | _A)
_LINE_BREAK = "<!-- wp-line-break -->"


def autoembed(text):
    """
    WP_Embed::autoembed(): a URL alone on its line (or in its paragraph)
    becomes a link. WordPress would embed the page (a YouTube player, a
    tweet...) from the other site; here it stays a link.
    """
    text = autop.replace_in_html_tags(text, {"\n": _LINE_BREAK})
    if _ANY_URL.search(text):

        def link(match):
            return match[1] + _link(html.unescape(match[2])) + match[3]

        text = _URL_ON_ITS_LINE.sub(link, text)
        text = _URL_IN_ITS_PARAGRAPH.sub(link, text)
    return text.replace(_LINE_BREAK, "\n")


SHORTCODES = {
    "caption": caption,
    "wp_caption": caption,
    "gallery": gallery,
    "audio": audio,
    "video": video,
    "embed": embed,
}


def render(text):
    """
    What WordPress's ``the_content`` filters do to a body, minus
    ``wptexturize`` (curly quotes) and smilies: ``[embed]`` and auto-embeds,
    then block comments out (``do_blocks``), ``wpautop`` unless the body has
    blocks, ``shortcode_unautop``, and the shortcodes. Not sanitised.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks = has_blocks(text)
    text = do_shortcode(text, {"embed": embed})
    text = autoembed(text)
    text = remove_block_comments(text)
    text = _remove_comment_lines(text)
    if not blocks:
        text = autop.wpautop(text)
    text = autop.shortcode_unautop(text, SHORTCODES)
    return do_shortcode(text)


# The block editor's delimiters: <!-- wp:name {"json"} -->, <!-- /wp:name -->
# and self-closing <!-- wp:name /-->.
_BLOCK_COMMENT = re.compile(
    r"<!--\s+/?wp:"
    r"[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?"  # [namespace/]name
    r"\s+(?:\{.*?\}\s+)?"  # JSON attributes
    r"/?-->",
    re.DOTALL | _A,
)
# A comment alone on its line (<!--more-->, <!--nextpage-->): the sanitiser
# drops comments, and an empty paragraph must not be left in their place.
_COMMENT_LINE = re.compile(r"^[ \t]*<!--(?:(?!-->).)*-->[ \t]*(?:\n|$)", re.MULTILINE | re.DOTALL)


def has_blocks(text):
    """has_blocks(): whether the block editor wrote the body."""
    return "<!-- wp:" in (text or "")


def remove_block_comments(text):
    """do_blocks() for static blocks: their delimiters go, their HTML stays."""
    return _BLOCK_COMMENT.sub("", text)


def _remove_comment_lines(text):
    return _COMMENT_LINE.sub("", text)
