"""Values written beside their labels in one piece of text ("Label: value", "Label<TAB>value",
a label line with its answer below), and the test that text is another question, not an answer.
"""

from __future__ import annotations

import re

from pipeline.extract.labels import LabelIndex

SECTION_HEADING = re.compile(r"^(section|part)\s+\d+\b", re.IGNORECASE)


def inline_values(text: str, index: LabelIndex) -> list[tuple[str, str]]:
    """Values written beside their labels in one piece of text.

    'Label: value' on one line; 'Label<TAB>value' (several pairs on a line, as a PDF line
    across a table reads); or a label line with the value on the lines below it.
    """
    first, newline, below = text.partition("\n")
    if "\t" in first:
        return _tab_pairs(first.split("\t"), index)
    head, sep, rest = text.partition(":")
    field_id = index.field_of(head) if sep and rest.strip() else None
    if field_id:
        return [(field_id, _answer(rest, index))]
    field_id = index.field_of(first) if newline and below.strip() else None
    return [(field_id, _answer(below, index))] if field_id else []


def _answer(text: str, index: LabelIndex) -> str:
    """The text after a label, or nothing when it begins with the next label (the answer was
    left blank and the text is the next question)."""
    text = text.strip()
    return "" if starts_with_label(text, index) else text


def starts_with_label(text: str, index: LabelIndex) -> bool:
    """Whether ``text`` is a form label or section heading, or a line starting with one
    ("Date of declaration: 20/10/2025"): another question, never an answer."""
    first = text.partition("\n")[0].strip()
    if SECTION_HEADING.match(first) or index.is_label(first):
        return True
    for separator in (":", "\t"):
        head, sep, _ = first.partition(separator)
        if sep and index.is_label(head):
            return True
    return False


def _tab_pairs(segments: list[str], index: LabelIndex) -> list[tuple[str, str]]:
    pairs = []
    parts = [segment.strip() for segment in segments if segment.strip()]
    for i, part in enumerate(parts):
        field_id = index.field_of(part)
        if field_id:
            value = parts[i + 1] if i + 1 < len(parts) else ""
            pairs.append((field_id, "" if starts_with_label(value, index) else value))
        else:
            pairs.extend(inline_values(part, index) if ":" in part else [])
    return pairs
