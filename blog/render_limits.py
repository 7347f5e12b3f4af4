"""
The sizes and shapes of text the site renders, and the work it spends on them.

Python-Markdown, html5lib (bleach's parser) and WordPress's regular
expressions do more than linear work on some shapes of input: a run of ``[``
made Markdown scan to the end of the paragraph once per bracket (9,000 of
them took 14 s), thousands of tags opened and never closed make every new tag
search the parser's stack. So no text reaches them unchecked. Most limits
below are counts, not a clock, so tests can assert them on any machine:

- a size: ``POST_BODY_MAX_CHARS``, and the comment, title and search limits
  their models and forms set;
- a nesting depth: elements opened inside one another and never closed
  (``MAX_OPEN_ELEMENTS``, counted in one pass over the tags as typed), and
  Markdown quotes and lists inside one another (``MAX_MARKDOWN_DEPTH``);
- a step budget in Markdown's inline parser (``MARKDOWN_STEPS``): each
  candidate a pattern tries is charged the text it may have read, the whole
  rest of the paragraph when it fails, so bracket, backtick or emphasis runs
  that open and never close run out of steps instead of out of time;
- and behind those, a time budget (``RENDER_SECONDS``) for the superlinear
  corners the counts do not model.

Text over a limit is refused with ``RenderRefused``, whose message tells the
author what to change; forms show it on the field, the importer reports it.
"""

import functools
import gc
import re
import signal
import threading
import time

# About 15,000 words: WordPress's theme test data's longest post is 38,000
# characters. Ordinary prose this long renders in about half a second on a
# busy core; denser shapes this long meet the time budget.
POST_BODY_MAX_CHARS = 100_000
# Elements opened inside one another and not closed, as typed (elements whose
# end tag is optional, such as <p> and <li>, close themselves and are not
# counted). Real articles stay under 15.
MAX_OPEN_ELEMENTS = 40
# Quotes and lists inside one another on one line (each ">", list marker or
# four columns of indentation is one level).
MAX_MARKDOWN_DEPTH = 16
# Characters Markdown's inline patterns may read in one body: half a million
# is about a fifth of a second on an idle core, so this refuses long before
# the time budget would; an ordinary post of 100,000 characters uses about
# 90,000.
MARKDOWN_STEPS = 500_000
# The backstop behind the limits above: a render (of a body, of its article
# fields, of a comment) that has used this many seconds of CPU is stopped and
# refused. CPU time, not time on the clock: a busy machine that keeps the
# process waiting must not refuse an ordinary post. Python-Markdown and the
# standard library's HTMLParser have superlinear corners the counted limits
# do not model (thousands of headings with one text, ``<a <a <a``...); this
# keeps any of them from holding a worker.
# Only in a process's main thread (gunicorn's sync workers, commands, the
# importer's workers), where a timer signal can interrupt the render.
RENDER_SECONDS = 1.0


class RenderRefused(ValueError):
    """Text the renderer will not render; the message says why and what to change."""


def check_size(text, limit, what="The body"):
    if len(text) > limit:
        raise RenderRefused(
            f"{what} is {len(text):,} characters long; the limit is {limit:,}. "
            "Split it into shorter pieces."
        )


# A tag as typed: its name, then anything up to ">" that is not another "<"
# (so a scan never runs past the next tag, whatever is unclosed).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
_SELF_CLOSING = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr",
        # End tags optional: a second one closes the first, so they never nest
        # by themselves.
        "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
        "option", "optgroup", "colgroup", "caption", "rb", "rt", "rp",
    }
)  # fmt: skip


def check_open_elements(text, what="The body", *, typed=True):
    """
    Refuse more than ``MAX_OPEN_ELEMENTS`` elements open inside one another.

    One pass over the tags; an end tag closes the latest open element of its
    name and those opened after it, as parsers do; an end tag with no open
    element is ignored. ``typed``: the text is what the author typed (the
    message says where), not HTML made from it.
    """
    open_names = []
    for match in _TAG.finditer(text):
        closing, name, rest = match[1], match[2].lower(), match[3]
        if name in _SELF_CLOSING or rest.endswith("/"):
            continue
        if not closing:
            open_names.append(name)
            if len(open_names) > MAX_OPEN_ELEMENTS:
                where = f" near character {match.start():,}" if typed else ""
                raise RenderRefused(
                    f"{what} opens more than {MAX_OPEN_ELEMENTS} elements inside one "
                    f"another without closing them (one too many: <{name}>{where}). "
                    f"Close the tags you open, as in <{name}>…</{name}>."
                )
        elif name in open_names:
            del open_names[len(open_names) - 1 - open_names[::-1].index(name) :]


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"`[^`\n]*`")


def markdown_without_code(text):
    """
    ``text`` less its fenced code blocks and one-backtick code spans, whose
    tags Markdown escapes: a post may mention `<div>` as often as it likes.
    (Tags hidden from this count in ways Markdown does not escape reach the
    second count, of Markdown's HTML, before the sanitiser.)
    """
    kept, fence = [], None
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence is None and opening:
            fence = opening[1]
        elif fence is not None:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = None
        else:
            kept.append(line)
    return _CODE_SPAN.sub("", "\n".join(kept))


# One level of a Markdown container at the start of a line: a quote marker or
# a list marker followed by a space.
_CONTAINER = re.compile(r"[ \t]{0,3}(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?")
_INDENT = re.compile(r"[ \t]*")


def check_markdown_depth(text, what="The body"):
    """Refuse lines nested deeper than ``MAX_MARKDOWN_DEPTH`` quotes, lists or indents."""
    for number, line in enumerate(text.split("\n"), start=1):
        depth, position = 0, 0
        while depth <= MAX_MARKDOWN_DEPTH:
            indent = _INDENT.match(line, position)
            width = len(indent[0].expandtabs(4))
            if width >= 4:
                depth += width // 4
                position = indent.end()
                continue
            container = _CONTAINER.match(line, position)
            if container is None or not container[0]:
                break
            depth += 1
            position = container.end()
        if depth > MAX_MARKDOWN_DEPTH:
            raise RenderRefused(
                f"Line {number:,} of {what.lower()} is nested more than "
                f"{MAX_MARKDOWN_DEPTH} levels deep in quotes, lists or indentation; "
                f"the limit is {MAX_MARKDOWN_DEPTH}."
            )


class _OutOfSteps(Exception):
    pass


class Meter:
    """A count of steps left; ``charge`` raises once they run out."""

    def __init__(self, steps):
        self.left = steps

    def charge(self, steps):
        self.left -= steps
        if self.left < 0:
            raise _OutOfSteps


TOO_MUCH_WORK = (
    "The body has too much markup that opens and never closes for the length of its "
    "paragraphs: runs of [, `, * or _ with no matching ] , ` , * or _. Close them, put a "
    "backslash before the ones meant as text (\\[), or split long paragraphs with blank lines."
)


def meter_inline_patterns(md, meter):
    """
    Charge every inline pattern of the Markdown instance ``md`` to ``meter``.

    A pattern that matches is charged the text it takes, which it replaces, so
    that is linear over a paragraph. Links, images and references scan for
    their closing ``]`` and ``)`` and are charged what they scanned. Any other
    pattern that tries a candidate and gives up may have read the rest of the
    paragraph looking for its end, and is charged all of it. So a paragraph of
    candidates that never close costs its length squared, which is the work
    Markdown actually does on it.
    """
    for pattern in md.inlinePatterns:
        scans = hasattr(pattern, "getText")
        if scans:
            pattern.getText = _metered_text(pattern.getText, meter)
            if hasattr(pattern, "getLink"):
                pattern.getLink = _metered_link(pattern.getLink, meter)
        pattern.handleMatch = _metered(pattern.handleMatch, meter, charge_failures=not scans)


def _metered_text(get_text, meter):
    def scan(data, index):
        text, end, handled = get_text(data, index)
        meter.charge(end - index + 1)  # A failed scan ends at the end of data.
        return text, end, handled

    return scan


def _metered_link(get_link, meter):
    def scan(data, index):
        href, title, end, handled = get_link(data, index)
        meter.charge((end if handled else len(data)) - index + 1)
        return href, title, end, handled

    return scan


def _metered(handle_match, meter, *, charge_failures):
    def handle(match, data=None, *args):
        if data is None:  # An old-style Pattern: its regex read all the text.
            meter.charge(len(match.string) + 1)
            return handle_match(match)
        node, start, end = handle_match(match, data, *args)
        if start is None or end is None:
            meter.charge((len(data) - match.start(0) if charge_failures else 0) + 1)
        else:
            meter.charge(max(end, match.end(0)) - min(start, match.start(0)) + 1)
        return node, start, end

    return handle


class _OutOfTime(BaseException):
    # Not an Exception: nothing in the parsers' own "except Exception" may swallow it.
    pass


TOO_SLOW = (
    "The {what} took too long to render: it has unusually many headings, tags, brackets or "
    "other markup for its length, or markup left open. Simplify it, close what you open, "
    "or split it into shorter pieces."
)


def bounded(what):
    """
    Decorate a render function: ``RENDER_SECONDS`` at most, ``RenderRefused``
    after that, and for a ``RecursionError`` (nesting past what the nesting
    limits expect).
    """

    def decorate(render):
        @functools.wraps(render)
        def wrapper(*args, **kwargs):
            try:
                with _time_budget(RENDER_SECONDS):
                    return render(*args, **kwargs)
            except _OutOfTime:
                raise RenderRefused(TOO_SLOW.format(what=what)) from None
            except RecursionError:
                raise RenderRefused(
                    f"The {what} nests elements too deeply to render; close the tags you open."
                ) from None

        return wrapper

    return decorate


# The timer counts the process's CPU time (user and system), which is the only
# CPU clock a timer signal can follow; when it fires, the render is charged
# only what its own thread spent outside full collections. Other threads (a
# test's live server, an executor) and a full collection, whose cost is the
# whole heap's and which any allocation may happen to start, are not the
# text's doing; the young collections its own allocations cause are.
_TIMER, _SIGNAL = signal.ITIMER_PROF, signal.SIGPROF
_FULL_COLLECTION = 2  # CPython's oldest generation.
# How soon to look again when the alarm came early or in a finaliser.
_RECHECK_SECONDS = 0.01


class _time_budget:
    """A CPU-time timer that raises ``_OutOfTime`` once in this thread, where one can be set."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.armed = self.active = False

    def __enter__(self):
        # A timer signal reaches only the main thread, and a timer someone
        # else set (a test runner's, an outer render's) is theirs: left alone.
        if (
            self.seconds
            and threading.current_thread() is threading.main_thread()
            and signal.getitimer(_TIMER)[0] == 0
        ):
            self.previous = signal.signal(_SIGNAL, self._alarm)
            self.armed = self.active = True
            self.collecting = self.collection_started = 0.0
            self.thread = threading.get_ident()
            gc.callbacks.append(self._collection)
            self.started = time.thread_time()
            signal.setitimer(_TIMER, self.seconds)
        return self

    def _collection(self, phase, info):
        if info["generation"] != _FULL_COLLECTION or threading.get_ident() != self.thread:
            return
        # Collections never nest, and none is under way when the callback is added.
        if phase == "start":
            self.collection_started = time.thread_time()
        else:
            self.collecting += time.thread_time() - self.collection_started

    def used(self):
        """CPU seconds this thread has spent on the render, full collections aside."""
        return time.thread_time() - self.started - self.collecting

    def _alarm(self, signum, frame):
        if not self.active:
            return
        left = self.seconds - self.used()
        if left > 0:
            signal.setitimer(_TIMER, max(left, _RECHECK_SECONDS))
            return
        if frame is not None and _cannot_raise(frame):
            # An exception there would be printed and dropped: a moment later.
            signal.setitimer(_TIMER, _RECHECK_SECONDS)
            return
        self.active = False
        raise _OutOfTime

    def __exit__(self, *exc):
        if self.armed:
            try:
                self.active = False
            finally:
                signal.setitimer(_TIMER, 0)
                signal.signal(_SIGNAL, self.previous)
                gc.callbacks.remove(self._collection)
        return False


def _cannot_raise(frame):
    """Whether ``frame`` runs where Python drops exceptions: a finaliser or a gc callback."""
    code = frame.f_code
    return code.co_name == "__del__" or any(
        getattr(callback, "__code__", None) is code for callback in gc.callbacks
    )


def run_metered(render, steps):
    """``render(meter)`` within ``steps``; ``RenderRefused`` when it runs out."""
    try:
        return render(Meter(steps))
    except _OutOfSteps:
        raise RenderRefused(TOO_MUCH_WORK) from None
