"""Text written into a workbook stays text: never read by Excel as a formula.

openpyxl takes any string that starts with '=' for a formula, so a setting name, a file name
or a finding quoting a form (all chosen by whoever sent the email) could put
=HYPERLINK(...) or a DDE call into the admin's workbook. Every text cell is forced to the
string type after its value is set; a string cell is never evaluated, whatever it starts with.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import Cell

TEXT = "s"


def as_text(cell: Cell) -> Cell:
    """The cell, its string value (if any) marked as text rather than a formula."""
    if isinstance(cell.value, str):
        cell.data_type = TEXT
    return cell


def all_as_text(rows: Iterable[Iterable[Cell]]) -> None:
    for row in rows:
        for cell in row:
            as_text(cell)
