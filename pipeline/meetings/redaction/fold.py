"""Text folded for matching, with the way back to the original characters.

People write the same name many ways: "Zoë", "Zoe", "ZOË", "Zoe" with a decomposed
diaeresis, "O’Brien" with a curly apostrophe. Matching is done on a folded copy (accents
dropped, case folded, apostrophes, dashes and spaces made plain) and every match is mapped
back to the span of the original text it came from, so the original is what gets replaced.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

_PLAIN = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "´": "'",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "−": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\t": " ",
    "ø": "o",
    "Ø": "O",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "þ": "th",
    "ı": "i",
    "\r": " ",
}


# What a PDF shows for a character its font lacks ("Sia■n" for a decomposed "Siân"): dropped
# like an accent, so the name around it is still found.
_MISSING_GLYPH = frozenset("■\ufffd\ufffe")


@dataclass(frozen=True)
class Folded:
    """The folded text and, for each of its characters, the original character it came from."""

    text: str
    origin: tuple[int, ...]
    source: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span a folded span [start, end) came from, trailing accents included."""
        first = self.origin[start]
        last = self.origin[end - 1] + 1
        while last < len(self.source) and unicodedata.combining(self.source[last]):
            last += 1
        return first, last


@cache
def fold_char(char: str) -> str:
    """One character as matching sees it: no accents, case folded, punctuation made plain."""
    out = []
    for part in unicodedata.normalize("NFKD", char):
        if unicodedata.combining(part) or part in _MISSING_GLYPH:
            continue
        out.append(_PLAIN.get(part, part).casefold())
    return "".join(out)


def fold(text: str) -> Folded:
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = fold_char(char)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return Folded("".join(chars), tuple(origin), text)


def fold_plain(text: str) -> str:
    """Just the folded text (for building patterns from a name)."""
    return "".join(fold_char(c) for c in text)
