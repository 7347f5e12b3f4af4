"""
What a reader typed, read as web search engines read it, the same way on
every database: words must all match, ``"quoted words"`` match as a phrase,
``or`` between two terms accepts either, and ``-word`` excludes. Anything else
(operators of a database's own query language, stray brackets) is just text.
"""

import re
from dataclasses import dataclass

MAX_LENGTH = 200

# A quoted phrase (closing quote optional), or a run of anything but spaces.
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
# Terms that carry no word at all match nothing; they are dropped, not searched.
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class ParsedQuery:
    # Every group must match; a group matches when any of its terms does.
    required: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    def __bool__(self):
        # Exclusions alone would find nearly everything: not a search.
        return bool(self.required)


def parse(text):
    required, excluded = [], []
    alternative = False
    for match in _TERM.finditer(text or ""):
        minus, phrase, word = match.groups()
        if word is not None:
            if word.lower() == "or":
                alternative = bool(required)
                continue
            minus, phrase = ("-", word[1:]) if word.startswith("-") else ("", word)
        if not _WORD.search(phrase):
            continue
        phrase = " ".join(phrase.split())
        if minus:
            excluded.append(phrase)
        elif alternative:
            required[-1].append(phrase)
        else:
            required.append([phrase])
        alternative = False
    return ParsedQuery(tuple(tuple(group) for group in required), tuple(excluded))
