"""
Small tools for reading rendered HTML in tests, on the standard library only.

``parse(html)`` builds a tiny tree that answers the questions the tests ask
("the text of ``p.post-meta``", "is this ``li`` inside that ``ol.children``").
"""

import re
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr"}
)  # fmt: skip


def collapse(text):
    """Whitespace folded to single spaces, ends trimmed."""
    return re.sub(r"\s+", " ", text).strip()


class Node:
    def __init__(self, tag, attrs, parent=None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children = []

    def __repr__(self):
        return f"<Node {self.tag} {self.attrs}>"

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    @property
    def text(self):
        """The visible text, whitespace collapsed."""
        return collapse("".join(self._strings()))

    def _strings(self):
        for child in self.children:
            if isinstance(child, str):
                yield child
            else:
                yield from child._strings()

    @property
    def elements(self):
        """Direct child elements, text left out."""
        return [child for child in self.children if isinstance(child, Node)]

    def by_id(self, id_):
        """The one descendant with this id (ids may hold characters selectors cannot)."""
        found = [node for node in self.iter() if node.attrs.get("id") == id_]
        if len(found) != 1:
            raise AssertionError(f"Expected one element with id {id_!r}, found {len(found)}")
        return found[0]

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def select(self, selector):
        """Descendants matching ``tag``, ``.class``, ``#id``, ``tag.class`` or ``tag#id``."""
        match = re.fullmatch(r"([\w-]*)(?:\.([\w-]+))?(?:#([\w-]+))?", selector)
        if not match:
            raise ValueError(f"Unsupported selector {selector!r}")
        tag, class_, id_ = match.groups()
        return [
            node
            for node in self.iter()
            if (not tag or node.tag == tag)
            and (not class_ or class_ in node.classes)
            and (not id_ or node.attrs.get("id") == id_)
        ]

    def select_one(self, selector):
        found = self.select(selector)
        if len(found) != 1:
            raise AssertionError(f"Expected one {selector!r}, found {len(found)}")
        return found[0]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID_ELEMENTS:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(
            Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        )

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(markup):
    builder = _TreeBuilder()
    builder.feed(markup.decode() if isinstance(markup, bytes) else markup)
    builder.close()
    return builder.root


def visible_text(markup):
    """What a reader sees of an HTML fragment: tags gone, entities decoded, spaces folded."""
    return parse(markup).text


def page(response):
    """The parsed page of a test-client response."""
    return parse(response.content.decode())


def meta_lines(response):
    """The visible text of every ``p.post-meta`` on the page, in order."""
    return [node.text for node in page(response).select("p.post-meta")]


class _BalanceChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            self.problems.append(f"end tag for void element </{tag}>")
        elif not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def balance_problems(markup):
    """Why a fragment is not well formed (mis-nested or unclosed tags); empty when it is."""
    checker = _BalanceChecker()
    checker.feed(markup)
    checker.close()
    return checker.problems + [f"<{tag}> never closed" for tag in checker.stack]
