"""Tick-box lists printed one option a row: "Sensory spaces or circuits | ☒".

Some forms print a list field (such as the capital bid's types of improvement) as a heading
row followed by one row per option, each with its own box, so the label's own value cell is
empty. This reads those rows back into one value: the ticked options, in the schema's order.
"""

from __future__ import annotations

from pipeline.models import Cell, ExtractedDocument, FieldValue, Provenance, ReadDocument
from schemas import FORMS, FieldSpec, parse_value, specs
from schemas.types import Kind, match_choice, parse_yesno

MIN_OPTION_ROWS = 2


def with_ticked_rows(document: ExtractedDocument, read: ReadDocument) -> ExtractedDocument:
    """The document, with each empty tick-box list field filled from option rows if printed so."""
    form = FORMS.get(document.kind)
    if form is None:
        return document
    fields = dict(document.fields)
    for spec in specs(form):
        current = fields.get(spec.id)
        if spec.kind is not Kind.list or not spec.choices or (current and current.raw):
            continue
        rows = _option_rows(read, spec)
        if len(rows) < MIN_OPTION_ROWS:
            continue
        raw = "\n".join(f"{'☒' if ticked else '☐'} {option}" for option, ticked, _ in rows)
        source = Provenance(
            document=read.filename, location=f"{rows[0][2].location} to {rows[-1][2].location}"
        )
        try:
            value = parse_value(form, spec.id, raw)
        except ValueError as exc:
            fields[spec.id] = FieldValue(field=spec.id, raw=raw, problem=str(exc), source=source)
        else:
            fields[spec.id] = FieldValue(field=spec.id, raw=raw, value=value, source=source)
    return document.model_copy(update={"fields": fields})


def _option_rows(read: ReadDocument, spec: FieldSpec) -> list[tuple[str, bool, Cell]]:
    """(option, ticked, its box cell) for every row made of one option and one box."""
    found: list[tuple[str, bool, Cell]] = []
    for grid in read.grids:
        for row in grid.rows:
            texts = [cell for cell in row if cell.text]
            if len(texts) != 2:
                continue
            for words, box in ((texts[0], texts[1]), (texts[1], texts[0])):
                option, ticked = _option_and_box(words, box, spec)
                if option is not None and ticked is not None:
                    found.append((option, ticked, box))
                    break
    return found


def _option_and_box(words: Cell, box: Cell, spec: FieldSpec) -> tuple[str | None, bool | None]:
    try:
        option = match_choice(words.text, spec.choices)
        ticked = parse_yesno(box.text)
    except ValueError:
        return None, None
    return option, ticked
