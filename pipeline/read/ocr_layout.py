"""Tesseract's words -> the lines of a form, each label beside its answer.

Tesseract's automatic page segmentation reads a bordered form in blocks: the labels of a
table's left column in one, the answers in another. Its own lines are kept (on a scan a line's
words drift up or down, and regrouping them by height splits it), then lines side by side at
the same height are put back together left to right, a wide gap kept as a tab; an answer's
further lines (starting under the answer, right of the labels) are joined to it.
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

from pipeline.read.lines import GAP_IN_HEIGHTS, LONG_WORD, Placed, line_text, text_height
from pipeline.read.tesseract import Word

SURE = 50  # Tesseract's confidence below which a lone punctuation mark is taken for a speck
EDGE_HEIGHT = 1.3  # of the line's letters: a '|' this tall is a border, not the pronoun I
OVERLAP = 0.5  # of the shorter line's height: lines this much level are side by side


class OcrWord(NamedTuple):
    box: Placed
    confidence: float


class OcrLine(NamedTuple):
    """A line of the page; ``confidence`` is the lowest of its answer's words (0 to 100)."""

    text: str
    confidence: float


def page_rows(words: list[Word]) -> list[list[OcrWord]]:
    """The rows of one page: Tesseract's lines cleaned of specks, those side by side joined."""
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    return _side_by_side([p for p in (_cleaned(ws) for ws in by_line.values()) if p])


def form_lines(pages: list[list[list[OcrWord]]]) -> list[list[OcrLine]]:
    """Each page's lines; an answer carried on from the row above (even from the page before,
    when a page break split it) is joined to the line it belongs to."""
    placed: list[tuple[int, OcrLine]] = []
    answer: _Answer | None = None
    for number, rows in enumerate(pages):
        for n, row in enumerate(rows):
            if answer is not None and placed and _continues(answer, row, new_page=n == 0):
                page, (text, confidence) = placed[-1]
                joined = OcrLine(_unwrapped(text, row_text(row)), min(confidence, _lowest(row)))
                placed[-1] = (page, joined)
                answer = answer._replace(bottom=_bottom(row))
                continue
            placed.append((number, OcrLine(row_text(row), _lowest(_answer(row)))))
            answer = _answer_of(row)
    return [[line for page, line in placed if page == n and line.text] for n in range(len(pages))]


def _unwrapped(text: str, further: str) -> str:
    """An answer and its next line: with a space, or with none after an answer that is one
    long unbroken word (an address split where its cell ended) or ends in a word's hyphen."""
    answer = text.rsplit("\t", 1)[-1]
    broken_word = " " not in answer and len(answer) >= LONG_WORD
    at_hyphen = len(answer) > 1 and answer.endswith("-") and answer[-2].isalpha()
    return f"{text}{further}" if broken_word or at_hyphen else f"{text} {further}"


def _cleaned(words: list[Word]) -> list[OcrWord]:
    """The words of a line without specks read as punctuation: marks Tesseract is unsure of,
    and marks standing alone across a wide gap (a box's edge beside a label). A lone '|'
    between words is the pronoun I; at either end of a line, or taller than the line's
    letters (a border between a label and its answer), it is a box's edge."""
    words = sorted(words, key=lambda w: w.left)
    placed = [Placed(w.text, w.left, w.left + w.width, w.top, w.top + w.height) for w in words]
    height = text_height(placed)
    kept: list[OcrWord] = []
    for index, word in enumerate(placed):
        speck = not any(ch.isalnum() for ch in word.text) and (
            words[index].confidence < SURE or _isolated(placed, index, height)
        )
        between_words = 0 < index < len(placed) - 1
        tall = word.bottom - word.top > EDGE_HEIGHT * height
        if word.text == "|" and (tall or not between_words):
            continue  # a box's edge
        if not speck:
            box = word._replace(text="I") if word.text == "|" else word
            kept.append(OcrWord(box, words[index].confidence))
    return kept


def _isolated(placed: list[Placed], index: int, height: float) -> bool:
    word = placed[index]
    before = word.x0 - placed[index - 1].x1 if index > 0 else float("inf")
    after = placed[index + 1].x0 - word.x1 if index + 1 < len(placed) else float("inf")
    return min(before, after) > height * GAP_IN_HEIGHTS


def _side_by_side(pieces: list[list[OcrWord]]) -> list[list[OcrWord]]:
    """Tesseract's lines from different blocks that sit at one height, as one row."""
    rows: list[list[OcrWord]] = []
    for piece in sorted(pieces, key=lambda p: _top(p)):
        level = next((row for row in rows if _level(row, piece)), None)
        if level is None:
            rows.append(list(piece))
        else:
            level.extend(piece)
    return [sorted(row, key=lambda w: w.box.x0) for row in sorted(rows, key=_top)]


def _top(words: list[OcrWord]) -> float:
    return min(w.box.top for w in words)


def _bottom(words: list[OcrWord]) -> float:
    return max(w.box.bottom for w in words)


def _level(row: list[OcrWord], piece: list[OcrWord]) -> bool:
    """Whether the two overlap vertically by most of the shorter one's height, side by side."""
    overlap = min(_bottom(row), _bottom(piece)) - max(_top(row), _top(piece))
    shorter = min(_height(row), _height(piece))
    apart = max(w.box.x0 for w in piece) < min(w.box.x0 for w in row) or min(
        w.box.x0 for w in piece
    ) > max(w.box.x1 for w in row)
    return apart and overlap > OVERLAP * shorter


def _height(words: list[OcrWord]) -> float:
    return text_height([w.box for w in words])


class _Answer(NamedTuple):
    """Where the answer of the line being built sits: its column, the labels' edge, its end."""

    x0: float
    label_x1: float
    height: float
    bottom: float


def _answer_of(row: list[OcrWord]) -> _Answer | None:
    answer = _answer(row)
    if answer is row:
        return None
    label = row[: len(row) - len(answer)]
    return _Answer(answer[0].box.x0, label[-1].box.x1, max(_height(row), 1.0), _bottom(row))


def _continues(answer: _Answer, row: list[OcrWord], *, new_page: bool) -> bool:
    """A row of one piece starting under the answer, right of the labels, close below (or
    at the top of the next page)."""
    start = row[0].box.x0
    close = new_page or row[0].box.top - answer.bottom < 1.2 * answer.height
    return (
        _answer(row) is row
        and abs(start - answer.x0) < 2 * answer.height
        and start > answer.label_x1 + answer.height
        and close
    )


def _answer(row: list[OcrWord]) -> list[OcrWord]:
    """The words after the row's last wide gap (its answer), or the whole row."""
    height = _height(row)
    cut = 0
    for index, (before, word) in enumerate(pairwise(row), start=1):
        if word.box.x0 - before.box.x1 > height * GAP_IN_HEIGHTS:
            cut = index
    return row[cut:] if cut else row


def row_text(row: list[OcrWord]) -> str:
    return line_text([w.box for w in row]).strip()


def _lowest(words: list[OcrWord]) -> float:
    return min((w.confidence for w in words), default=0.0)
