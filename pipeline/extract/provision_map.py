"""The Costed Provision Map: header block, the provision lines table and its totals.

The lines table is found by its header row (column headers in any order, on any row, on
whichever sheet holds it); blank rows and notes rows inside or after it are skipped.
"""

from __future__ import annotations

from pipeline.extract.form import read_located
from pipeline.extract.labels import LabelIndex, Located
from pipeline.extract.locate import locate
from pipeline.models import Cell, ExtractedDocument, Grid, Line, Provenance, ReadDocument
from schemas import ProvisionLine, ProvisionMap, normalise_label, specs
from schemas.types import blank

MIN_HEADER_MATCHES = 5


def extract_provision_map(document: ReadDocument) -> ExtractedDocument:
    line_index = LabelIndex(specs(ProvisionLine))
    best = _best_table(document.grids, line_index)
    header_index = LabelIndex(specs(ProvisionMap), other_labels=line_index.any_label)
    if best is None:
        sheets = document.grids
        lines: tuple[Line, ...] = ()
    else:
        grid, header_row, columns = best
        sheets = (grid, *(g for g in document.grids if g is not grid))
        lines = tuple(_lines(grid, header_row, columns, document.filename, header_index))
    located = locate(document.model_copy(update={"grids": sheets}), header_index)
    values, fields = read_located(ProvisionMap, located)
    return ExtractedDocument(
        filename=document.filename,
        sha256=document.sha256,
        kind=ProvisionMap.kind,
        form=values,
        fields=fields,
        lines=lines,
    )


def _best_table(
    grids: tuple[Grid, ...], index: LabelIndex
) -> tuple[Grid, int, dict[int, str]] | None:
    best: tuple[Grid, int, dict[int, str]] | None = None
    for grid in grids:
        for r, row in enumerate(grid.rows):
            columns = {c: fid for c, cell in enumerate(row) if (fid := index.field_of(cell.text))}
            if len(set(columns.values())) >= MIN_HEADER_MATCHES and (
                best is None or len(columns) > len(best[2])
            ):
                best = (grid, r, columns)
    return best


def _lines(
    grid: Grid, header_row: int, columns: dict[int, str], filename: str, stop_labels: LabelIndex
) -> list[Line]:
    lines = []
    for row in grid.rows[header_row + 1 :]:
        cells = {fid: row[c] for c, fid in columns.items() if c < len(row)}
        if any(stop_labels.field_of(cell.text) for cell in row) or _is_total_row(row):
            break
        if _is_blank_or_note(row, cells):
            continue
        found = {fid: _found(cell, filename) for fid, cell in cells.items() if cell.text}
        values, fields = read_located(ProvisionLine, found)
        lines.append(Line(values=values, fields=fields))
    return lines


def _is_blank_or_note(row: tuple[Cell, ...], cells: dict[str, Cell]) -> bool:
    first_text = next((cell.text for cell in row if cell.text), "")
    if normalise_label(first_text).startswith(("note", "key", "guidance")):
        return True
    return all(
        blank(cell.value if cell.value is not None else cell.text) for cell in cells.values()
    )


def _is_total_row(row: tuple[Cell, ...]) -> bool:
    return any(normalise_label(cell.text).startswith("total") for cell in row if cell.text)


def _found(cell: Cell, filename: str) -> Located:
    raw = cell.value if cell.value is not None else cell.text
    source = Provenance(document=filename, location=cell.location)
    return Located(cell.text, raw, source, cell.problem)
