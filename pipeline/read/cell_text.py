"""A spreadsheet cell's value as the forms read it, its text as a person sees it, and the
grid cell made of them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from openpyxl.utils.cell import get_column_letter

from pipeline.models import Cell
from schemas.types import RawValue


def sheet_cell(title: str, row: int, col: int, value: Any, problem: str | None = None) -> Cell:
    """The grid cell of sheet ``title`` at (row, col) holding ``value``, as both workbook
    readings (in full, and a supporting workbook's saved values) give it."""
    return Cell(
        text=display_text(value),
        value=raw_value(value),
        row=row,
        col=col,
        location=f"sheet '{title}' cell {get_column_letter(col)}{row}",
        problem=problem,
    )


def raw_value(value: object) -> RawValue:
    """A cell's value as the forms read it: text, a number, a truth value or a date; any
    other type a spreadsheet holds (a time of day, a date with a time, an error) as its text."""
    if isinstance(value, datetime) and value.time() != datetime.min.time():
        return display_text(value)
    if value is None or isinstance(value, str | int | float | bool | date):
        return value
    return display_text(value)


def display_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
