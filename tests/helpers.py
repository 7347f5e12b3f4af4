"""Rendered HTML in tests: BeautifulSoup trees, plus the well-formedness check they can't make."""

import re
from html.parser import HTMLParser

from bs4 import BeautifulSoup, NavigableString

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}  # fmt: skip


def parse(markup):
    """A BeautifulSoup tree whose attribute values stay the strings written (``class`` too)."""
    return BeautifulSoup(markup, "html.parser", multi_valued_attributes=None, string_containers={})


def page(response):
    return parse(response.content.decode())


def one(node, selector):
    """The only descendant matching the CSS ``selector``; unpacking fails on none or several."""
    (match,) = node.select(selector)
    return match


def text_of(node):
    """A tag's text (``<script>``/``<style>`` too, comments not), whitespace folded."""
    return re.sub(r"\s+", " ", node.get_text(types=NavigableString)).strip()


def visible_text(markup):
    return text_of(parse(markup))


def meta_lines(response):
    return [text_of(node) for node in page(response).select("p.post-meta")]


def balance_problems(markup):
    """Why a fragment is not well formed (BeautifulSoup would quietly repair it); [] if it is."""
    problems, open_tags = [], []

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in VOID_ELEMENTS:
                open_tags.append(tag)

        def handle_endtag(self, tag):
            if tag in VOID_ELEMENTS:
                problems.append(f"end tag for void element </{tag}> (or self-closing <{tag}/>)")
            elif open_tags[-1:] != [tag]:
                problems.append(f"</{tag}> closes {open_tags[-1:] or 'nothing'}")
            else:
                open_tags.pop()

    checker = Checker()
    checker.feed(markup)
    checker.close()
    return problems + [f"<{tag}> never closed" for tag in open_tags]
