"""A table row a page break split, put back together: the rest of an answer at the top of the
next page belongs to the label at the foot of the page before.

A PDF's tables are read page by page, so a row Word let break across pages arrives as two: the
label and the start of its answer at the foot of one page, the rest of the answer opening the
next page's table (after the table's header row, when Word repeats it on every page). The
rest is told from a new row by the labels: it is no label, no section heading, and it follows
a row that holds one. Works for a one-column "Label: value" table, whose continuation has no
empty label cell to tell it by, as for the two-column one.
"""

from __future__ import annotations

from pipeline.extract.inline import inline_values, starts_with_label
from pipeline.extract.labels import LabelIndex
from pipeline.models import Cell, Grid
from pipeline.read.lines import unwrapped


def rows_across_pages(grids: tuple[Grid, ...], index: LabelIndex) -> tuple[Grid, ...]:
    """The grids with each row split by a page break made whole in the earlier page's table."""
    joined: list[Grid] = []
    for grid in grids:
        before = joined[-1] if joined else None
        if before is not None and _next_page(before, grid):
            header, body = _repeated_header(before, grid)
            if _continues_answer(before, body, index):
                joined[-1], body = _joined(before, body, index)
            grid = body.model_copy(update={"rows": (*header, *body.rows)})
        if grid.rows:
            joined.append(grid)
    return tuple(joined)


def _next_page(before: Grid, grid: Grid) -> bool:
    """The first table of a page, after the last of the page before."""
    return before.page is not None and grid.page == before.page + 1 and bool(before.rows)


def _texts(row: tuple[Cell, ...]) -> tuple[str, ...]:
    return tuple(cell.text for cell in row)


def _repeated_header(before: Grid, grid: Grid) -> tuple[tuple[tuple[Cell, ...], ...], Grid]:
    """The header row Word repeats at the top of each page (kept, so that the next page's
    is known too), and the rest of the page's table."""
    if len(before.rows) > 1 and grid.rows and _texts(grid.rows[0]) == _texts(before.rows[0]):
        return grid.rows[:1], grid.model_copy(update={"rows": grid.rows[1:]})
    return (), grid


def _continues_answer(before: Grid, grid: Grid, index: LabelIndex) -> bool:
    """Whether the page's first row is the rest of the row ending the page before: the same
    columns, some text, no label or heading of its own, after a row that holds a label."""
    if not grid.rows:
        return False
    first, last = grid.rows[0], before.rows[-1]
    if {cell.col for cell in first} != {cell.col for cell in last}:
        return False
    if not any(cell.text for cell in first):
        return False
    if any(cell.text and starts_with_label(cell.text, index) for cell in first):
        return False
    return any(index.field_of(cell.text) or inline_values(cell.text, index) for cell in last)


def _joined(before: Grid, grid: Grid, index: LabelIndex) -> tuple[Grid, Grid]:
    rest = {cell.col: cell for cell in grid.rows[0]}
    whole = tuple(_cell_joined(cell, rest.get(cell.col), index) for cell in before.rows[-1])
    rows = (*before.rows[:-1], whole)
    return (
        before.model_copy(update={"rows": rows, "page": grid.page}),
        grid.model_copy(update={"rows": grid.rows[1:]}),
    )


def _cell_joined(cell: Cell, rest: Cell | None, index: LabelIndex) -> Cell:
    if rest is None or not rest.text:
        return cell
    if not cell.text:
        return rest
    if index.field_of(cell.text):  # the page broke right after the label: answer below it
        text = f"{cell.text}\n{rest.text}"
    else:
        text = unwrapped(f"{cell.text}\n{rest.text}")
    location = f"{cell.location} to {rest.location}"
    return cell.model_copy(update={"text": text, "value": None, "location": location})
