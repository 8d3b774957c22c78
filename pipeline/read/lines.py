"""Words with positions -> lines of text, a wide gap between words written as a tab.

A form exported to PDF (or scanned) puts a label and its value on one line with space between
them; the tab keeps them apart so ``Label<TAB>value`` reads like ``Label: value``.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

GAP_IN_HEIGHTS = 1.2  # a gap wider than this many text heights separates label and value
SAME_LINE_IN_HEIGHTS = 0.5
LONG_WORD = 25  # characters: a line this long without a space filled its cell


class Placed(NamedTuple):
    """A word on a page: its text and box (any unit, the same for every word of a page)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def group_lines(words: Iterable[Placed]) -> list[list[Placed]]:
    """Words in reading order, grouped into lines by their vertical position."""
    lines: list[list[Placed]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        line = lines[-1] if lines else None
        if line is not None and _same_line(line, word):
            line.append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _same_line(line: list[Placed], word: Placed) -> bool:
    height = max(w.bottom - w.top for w in line)
    return abs(word.top - line[0].top) <= height * SAME_LINE_IN_HEIGHTS


def text_height(line: list[Placed]) -> float:
    """The median height of the line's words (0 for no words)."""
    heights = sorted(w.bottom - w.top for w in line)
    return heights[len(heights) // 2] if heights else 0


def line_text(line: list[Placed]) -> str:
    """The words of one line joined by spaces, or by a tab across a wide gap."""
    if not line:
        return ""
    height = text_height(line)
    parts = [line[0].text]
    for before, word in pairwise(line):
        gap = word.x0 - before.x1
        parts.append("\t" if gap > height * GAP_IN_HEIGHTS else " ")
        parts.append(word.text)
    return "".join(parts)


def unwrapped(text: str) -> str:
    """A table cell's lines joined back into the text they wrap: with a space, or with none
    after a line that is one long unbroken word (an address split where the cell ended) or
    that ends in a word's own hyphen ("age-" wrapped before "related")."""
    joined = ""
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        broken_word = joined and " " not in joined and len(joined) >= LONG_WORD
        at_hyphen = len(joined) > 1 and joined.endswith("-") and joined[-2].isalpha()
        joined = f"{joined}{line}" if broken_word or at_hyphen else f"{joined} {line}".strip()
    return joined
