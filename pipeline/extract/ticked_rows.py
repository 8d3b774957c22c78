"""Tick-box lists printed one option a row: "Sensory spaces or circuits | ☒".

Some forms print a list field (such as the capital bid's types of improvement) as a heading
row followed by one row per option, each with its own box, so the label's own value cell is
empty. This reads those rows back into one value: the ticked options, in the schema's order.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.extract.labels import Located
from pipeline.models import Cell, Provenance, ReadDocument
from schemas import FieldSpec, Form, specs
from schemas.types import Kind, match_choice, parse_yesno

MIN_OPTION_ROWS = 2


def ticked_rows(
    read: ReadDocument, form: type[Form], located: Mapping[str, Located]
) -> dict[str, Located]:
    """Each tick-box list field left empty beside its label, read from option rows if the
    form prints it so: the ticked options as one raw value, '☒ option' a line."""
    found: dict[str, Located] = {}
    for spec in specs(form):
        current = located.get(spec.id)
        if spec.kind is not Kind.list or not spec.choices or (current and current.text):
            continue
        rows = _option_rows(read, spec)
        if len(rows) < MIN_OPTION_ROWS:
            continue
        raw = "\n".join(f"{'☒' if ticked else '☐'} {option}" for option, ticked, _ in rows)
        source = Provenance(
            document=read.filename, location=f"{rows[0][2].location} to {rows[-1][2].location}"
        )
        found[spec.id] = Located(raw, raw, source)
    return found


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
