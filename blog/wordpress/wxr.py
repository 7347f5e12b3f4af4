"""
A streaming, hardened reader of WordPress eXtended RSS (WXR 1.0, 1.1, 1.2).

``read(source)`` yields one record per child of ``<channel>`` as soon as that
child ends, then clears it, so memory does not grow with the file:

- ``("meta", name, text)`` for plain channel fields (``title``, ``link``,
  ``base_site_url``, ``base_blog_url``, ``wxr_version``, ...);
- ``("author", dict)``, ``("category", dict)``, ``("tag", dict)``,
  ``("term", dict)``;
- ``("item", Item)`` for every ``<item>`` (posts, pages, attachments, menu
  items, revisions...), with its categories, post meta and comments.

The parser is lxml's ``iterparse`` with entities, DTD loading and network
access off and ``huge_tree`` off. A document type declaration is refused
before parsing starts (it is where billion-laughs and external-entity attacks
live; WordPress never writes one), so an entity can only be one of XML's
five, and an undeclared one is a syntax error. Every refusal is a
``WXRError`` naming the line and column.

Both namespace spellings WordPress used (``http://`` and ``https://``
``wordpress.org/export/1.x/``) are accepted; text may be CDATA or plain.
"""

import re
from dataclasses import dataclass, field

from lxml import etree

_WP_NS = re.compile(r"^https?://wordpress\.org/export/1\.[012]/$")
_EXCERPT_NS = re.compile(r"^https?://wordpress\.org/export/1\.[012]/excerpt/$")
_KNOWN_NS = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
# How far into the file the root element may start (comments, processing
# instructions): past this the file is not a WXR file anyway.
_PROLOG_LIMIT = 1024 * 1024


class WXRError(Exception):
    """A file that is not a readable, safe WXR file; names the line and column."""

    def __init__(self, message, line=None, column=None):
        self.reason = message
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")


@dataclass
class Item:
    """One ``<item>``: the fields WordPress writes, by their local names."""

    fields: dict = field(default_factory=dict)
    # (domain, nicename, text) for each <category> of the item.
    terms: list = field(default_factory=list)
    # (key, value) for each <wp:postmeta>, in file order.
    meta: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    line: int | None = None

    def get(self, name, default=""):
        return self.fields.get(name, default)

    def meta_value(self, key, default=""):
        for name, value in self.meta:
            if name == key:
                return value
        return default

    def meta_values(self, key):
        return [value for name, value in self.meta if name == key]

    def as_dict(self):
        """What the file says of the item itself (not its comments), for its source hash."""
        return {"fields": self.fields, "terms": sorted(self.terms), "meta": sorted(self.meta)}


def local_name(tag):
    """``{namespace}name`` as ``wp:name``, ``excerpt:name``, ``content:name``... or ``name``."""
    if not isinstance(tag, str):
        return None
    if tag[0] != "{":
        return tag
    namespace, name = tag[1:].split("}", 1)
    if _WP_NS.match(namespace):
        return f"wp:{name}"
    if _EXCERPT_NS.match(namespace):
        return f"excerpt:{name}"
    prefix = _KNOWN_NS.get(namespace)
    return f"{prefix}:{name}" if prefix else f"{{{namespace}}}{name}"


def _text(element):
    return (element.text or "").strip() if len(element) == 0 else ""


def _raw_text(element):
    """Text kept as written (bodies keep their line breaks)."""
    return element.text or ""


def _children(element):
    """``{name: text}`` of an element's simple children."""
    found = {}
    for child in element:
        name = local_name(child.tag)
        if name and name.startswith("wp:"):
            found[name[3:]] = _text(child)
    return found


def _item(element):
    item = Item(line=element.sourceline)
    for child in element:
        name = local_name(child.tag)
        if name is None:
            continue
        if name == "category":
            item.terms.append(
                (child.get("domain", ""), child.get("nicename", ""), _raw_text(child).strip())
            )
        elif name == "wp:postmeta":
            values = _children(child)
            item.meta.append((values.get("meta_key", ""), _meta_value(child)))
        elif name == "wp:comment":
            comment = {}
            meta = []
            for part in child:
                part_name = local_name(part.tag)
                if part_name == "wp:commentmeta":
                    values = _children(part)
                    meta.append((values.get("meta_key", ""), values.get("meta_value", "")))
                elif part_name and part_name.startswith("wp:"):
                    comment[part_name[3:]] = _raw_text(part)
            comment["meta"] = meta
            comment["line"] = child.sourceline
            item.comments.append(comment)
        elif name in ("content:encoded", "excerpt:encoded"):
            item.fields[name.split(":")[0]] = _raw_text(child)
        elif name.startswith("wp:"):
            item.fields[name[3:]] = _raw_text(child).strip()
        elif name == "dc:creator":
            item.fields["creator"] = _raw_text(child).strip()
        elif ":" not in name and not name.startswith("{"):
            item.fields[name] = _raw_text(child).strip()
    return item


def _meta_value(postmeta):
    for child in postmeta:
        if local_name(child.tag) == "wp:meta_value":
            return _raw_text(child)
    return ""


def _position(data, index):
    """1-based line and column of byte ``index`` of ``data``."""
    line = data.count(b"\n", 0, index) + 1
    column = index - (data.rfind(b"\n", 0, index) + 1) + 1
    return line, column


def _root_start(data, eof):
    """Where the root element starts in ``data``, or None when more bytes are needed."""
    index = 0
    while True:
        index = data.find(b"<", index)
        if index < 0:
            return None
        if data.startswith(b"<!--", index):
            end = data.find(b"-->", index + 4)
            if end < 0:
                return None
            index = end + 3
        elif data.startswith(b"<?", index):
            end = data.find(b"?>", index + 2)
            if end < 0:
                return None
            index = end + 2
        elif len(data) - index < 9 and not eof:
            return None
        elif data.startswith(b"<!", index):
            line, column = _position(data, index)
            raise WXRError(
                "a document type declaration (<!DOCTYPE ...>) is not allowed in a WXR "
                "file: it can define entities (billion laughs, external files)",
                line,
                column,
            )
        else:
            return index


def _check_prolog(stream):
    """
    Read the bytes before the root element, refusing a document type
    declaration and any encoding but UTF-8 (which WordPress always writes).
    Returns the bytes read (to be parsed again) and the line and column
    where the root element starts.
    """
    data = b""
    while True:
        chunk = stream.read(65536)
        data += chunk
        eof = not chunk
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
            raise WXRError("the file is not UTF-8 text (WordPress writes WXR in UTF-8)", 1, 1)
        index = _root_start(data, eof)
        if index is not None:
            return data, _position(data, index)
        if eof or len(data) > _PROLOG_LIMIT:
            line, column = _position(data, len(data))
            raise WXRError("this is not a WXR file: no root element found", line, column)


class _Replay:
    """A binary stream that first gives back the bytes already read."""

    def __init__(self, head, stream):
        self.head = head
        self.stream = stream

    def read(self, size=-1):
        if self.head:
            if size is None or size < 0:
                data, self.head = self.head + self.stream.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.stream.read(size)


def _parser_events(stream):
    return etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
        recover=False,
    )


def read(source):
    """Yield the records of a WXR file (a path or a binary file object)."""
    if isinstance(source, str | bytes) or hasattr(source, "__fspath__"):
        with open(source, "rb") as stream:
            yield from _read(stream)
    else:
        yield from _read(source)


def _read(stream):
    head, (root_line, root_column) = _check_prolog(stream)
    etree.clear_error_log()
    events = _parser_events(_Replay(head, stream))
    depth = 0
    channel_seen = False
    wp_namespace_seen = False
    try:
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    if element.getroottree().docinfo.internalDTD is not None:
                        raise WXRError(
                            "a document type declaration is not allowed in a WXR file",
                            root_line,
                            root_column,
                        )
                    if element.tag != "rss":
                        raise WXRError(
                            f"this is not a WXR file: the root element is <{element.tag}>, "
                            "not <rss>",
                            root_line,
                            root_column,
                        )
                    wp_namespace_seen = any(_WP_NS.match(ns or "") for ns in element.nsmap.values())
                elif depth == 2 and element.tag == "channel":
                    channel_seen = True
                continue
            depth -= 1
            if depth != 2:
                continue
            record = _record(element)
            if record is not None:
                if record[0] in ("author", "category", "tag", "term") or (
                    record[0] == "item" and "post_type" in record[1].fields
                ):
                    wp_namespace_seen = True
                yield record
            # Free what was read: the element and the siblings before it.
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        line, column, message = _first_error(error)
        raise WXRError(f"the file is not well-formed XML: {message}", line, column) from None
    if not channel_seen or not wp_namespace_seen:
        raise WXRError(
            "this is not a WXR file: an RSS feed without WordPress's export namespace "
            "(wordpress.org/export/1.x/)",
            root_line,
            root_column,
        )


def _first_error(error):
    """Line, column and message of the first error libxml2 logged (the cause)."""
    for entry in error.error_log:
        if entry.line:
            return entry.line, entry.column, entry.message.strip()
    line, column = error.position
    # lxml appends "line N, column M" to its message; the error names them already.
    message = re.sub(r",? ?\(?line \d+(, column \d+)?\)?\s*$", "", str(error.msg)).strip()
    return line, column, message


def _record(element):
    name = local_name(element.tag)
    if name == "item":
        return ("item", _item(element))
    if name in ("wp:author", "wp:category", "wp:tag", "wp:term"):
        values = _children(element)
        values["line"] = element.sourceline
        return (name[3:], values)
    if name is None:
        return None
    if name.startswith("wp:"):
        name = name[3:]
    return ("meta", name, _text(element))
