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


def form_data(response, selector):
    """
    What a browser would submit from the form matching ``selector`` as the page
    stands: every named field with its current value (checked boxes only, the
    selected options, textareas' text), no buttons and no file inputs.
    """
    form = one(page(response), selector)
    data = {}
    for field in form.select("input, select, textarea"):
        name = field.attrs.get("name")
        if not name or "disabled" in field.attrs:
            continue
        values = data.setdefault(name, [])
        if field.name == "textarea":
            # Browsers drop the newline Django writes after <textarea>.
            values.append(field.get_text().removeprefix("\r").removeprefix("\n"))
        elif field.name == "select":
            options = field.select("option")
            chosen = [o for o in options if "selected" in o.attrs]
            if not chosen and options and "multiple" not in field.attrs:
                chosen = options[:1]
            values.extend(o.attrs.get("value", o.get_text()) for o in chosen)
        else:
            kind = field.attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in field.attrs:
                    values.append(field.attrs.get("value", "on"))
                continue
            values.append(field.attrs.get("value", ""))
    return {
        name: values[0] if len(values) == 1 else values for name, values in data.items() if values
    }
