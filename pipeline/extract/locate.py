"""Find each field's value beside its printed label, wherever the school put it.

Handles the layouts forms come in: label and value in neighbouring cells, label above value,
four-column tables of two label/value pairs, "Label: value" in one cell or paragraph, a
label with its value on the next lines of the same cell, and a heading followed by a
narrative section.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipeline.models import Cell, Grid, Provenance, ReadDocument
from schemas import FieldSpec, normalise_label

XLSX_RIGHT_REACH = 4


class Located:
    """A raw value found for a field, with the cell it came from."""

    __slots__ = ("raw", "source", "text")

    def __init__(self, text: str, raw: Any, source: Provenance) -> None:
        self.text = text
        self.raw = raw
        self.source = source


class LabelIndex:
    """Normalised label -> field id, for one form's specs."""

    def __init__(self, specs: Iterable[FieldSpec], other_labels: Iterable[str] = ()) -> None:
        self.fields: dict[str, str] = {}
        for spec in specs:
            for label in spec.labels:
                self.fields.setdefault(normalise_label(label), spec.id)
        self.any_label = set(self.fields) | {normalise_label(o) for o in other_labels}

    def field_of(self, text: str) -> str | None:
        return self.fields.get(normalise_label(text)) if len(text) < 120 else None

    def is_label(self, text: str) -> bool:
        return len(text) < 120 and normalise_label(text) in self.any_label


def locate(document: ReadDocument, index: LabelIndex) -> dict[str, Located]:
    """Every field of the index found in the document: first non-empty occurrence wins."""
    found: dict[str, Located] = {}
    for grid in document.grids:
        _from_grid(grid, document, index, found)
    _from_paragraphs(document.paragraphs, document.filename, index, found)
    return found


def _keep(found: dict[str, Located], field_id: str, located: Located) -> None:
    current = found.get(field_id)
    if current is None or (not current.text and located.text):
        found[field_id] = located


def _from_grid(
    grid: Grid, document: ReadDocument, index: LabelIndex, found: dict[str, Located]
) -> None:
    reach = XLSX_RIGHT_REACH if document.format == "xlsx" else 1
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row):
            if not cell.text:
                continue
            field_id = index.field_of(cell.text)
            if field_id:
                value = _right_value(row, c, reach, index) or _below_value(grid, r, c, index)
                _keep(found, field_id, _located(document.filename, value, cell))
                continue
            inline = _inline_value(cell.text, index)
            if inline:
                field_id, text = inline
                _keep(
                    found,
                    field_id,
                    Located(
                        text, text, Provenance(document=document.filename, location=cell.location)
                    ),
                )


def _right_value(row: tuple[Cell, ...], c: int, reach: int, index: LabelIndex) -> Cell | None:
    for candidate in row[c + 1 : c + 1 + reach]:
        if index.is_label(candidate.text):
            return None
        if candidate.text or reach == 1:
            return candidate
    return None


def _below_value(grid: Grid, r: int, c: int, index: LabelIndex) -> Cell | None:
    if r + 1 >= len(grid.rows) or c >= len(grid.rows[r + 1]):
        return None
    candidate = grid.rows[r + 1][c]
    if not candidate.text or index.is_label(candidate.text):
        return None
    return candidate


def _located(filename: str, value: Cell | None, label: Cell) -> Located:
    if value is None:
        return Located("", None, Provenance(document=filename, location=label.location))
    raw = value.value if value.value is not None else value.text
    return Located(value.text, raw, Provenance(document=filename, location=value.location))


def _inline_value(text: str, index: LabelIndex) -> tuple[str, str] | None:
    """'Label: value' on one line, or a label line with the value on the lines below it."""
    head, sep, rest = text.partition(":")
    if sep and rest.strip():
        field_id = index.field_of(head)
        if field_id:
            return field_id, rest.strip()
    first, newline, below = text.partition("\n")
    if newline and below.strip():
        field_id = index.field_of(first)
        if field_id:
            return field_id, below.strip()
    return None


def _from_paragraphs(
    paragraphs: tuple[Cell, ...], filename: str, index: LabelIndex, found: dict[str, Located]
) -> None:
    for i, paragraph in enumerate(paragraphs):
        inline = _inline_value(paragraph.text, index)
        if inline:
            field_id, text = inline
            _keep(
                found,
                field_id,
                Located(text, text, Provenance(document=filename, location=paragraph.location)),
            )
            continue
        heading = index.field_of(paragraph.text)
        if heading:
            section = _section_after(paragraphs, i, index)
            text = "\n".join(p.text for p in section)
            location = section[0].location if section else paragraph.location
            if len(section) > 1:
                location = f"{location} to {section[-1].location.split()[-1]}"
            source = Provenance(document=filename, location=location)
            _keep(found, heading, Located(text, text, source))


def _section_after(paragraphs: tuple[Cell, ...], i: int, index: LabelIndex) -> list[Cell]:
    """The paragraphs under a heading, up to the next label."""
    section = []
    for paragraph in paragraphs[i + 1 :]:
        if index.is_label(paragraph.text) or _inline_value(paragraph.text, index):
            break
        section.append(paragraph)
    return section
