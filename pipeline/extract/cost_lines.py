"""The cost table of a Project-Based Work Referral Form: one line per "Item" and "Cost (£)".

The table is found by its header row (both columns, in either order, on any row of any
table or sheet); blank rows and notes are skipped, and it ends at a total row or at a row
that carries one of the form's own labels (such as "Total amount requested (£)").
"""

from __future__ import annotations

from pipeline.extract.form import read_located
from pipeline.extract.labels import LabelIndex, Located
from pipeline.models import Cell, Grid, Line, Provenance, ReadDocument
from schemas import CostLine, ProjectReferral, normalise_label, specs
from schemas.types import RawValue, blank


def extract_cost_lines(document: ReadDocument) -> tuple[Line, ...]:
    """Every cost line of the first table whose header row names both columns."""
    header_index = LabelIndex(specs(CostLine))
    form_index = LabelIndex(specs(ProjectReferral))
    for grid in document.grids:
        for r, row in enumerate(grid.rows):
            columns = {
                c: fid for c, cell in enumerate(row) if (fid := header_index.field_of(cell.text))
            }
            if set(columns.values()) == {"item", "cost"}:
                return tuple(_lines(grid, r, columns, document.filename, form_index))
    return ()


def _lines(
    grid: Grid, header_row: int, columns: dict[int, str], filename: str, stop: LabelIndex
) -> list[Line]:
    lines: list[Line] = []
    for row in grid.rows[header_row + 1 :]:
        if _ends_table(row, stop):
            break
        cells = {fid: row[c] for c, fid in columns.items() if c < len(row)}
        if all(blank(_raw(cell)) for cell in cells.values()) or _is_note(row):
            continue
        found = {
            fid: _found(cell, filename)
            for fid, cell in cells.items()
            if cell.text or cell.value is not None
        }
        values, fields = read_located(CostLine, found)
        lines.append(Line(values=values, fields=fields))
    return lines


def _ends_table(row: tuple[Cell, ...], stop: LabelIndex) -> bool:
    texts = [normalise_label(cell.text) for cell in row if cell.text]
    return any(t.startswith(("total", "sub total", "subtotal")) for t in texts) or any(
        stop.field_of(cell.text) for cell in row if cell.text
    )


def _is_note(row: tuple[Cell, ...]) -> bool:
    first_text = next((cell.text for cell in row if cell.text), "")
    return normalise_label(first_text).startswith(("note", "guidance"))


def _raw(cell: Cell) -> RawValue:
    return cell.value if cell.value is not None else cell.text


def _found(cell: Cell, filename: str) -> Located:
    return Located(cell.text, _raw(cell), Provenance(document=filename, location=cell.location))
