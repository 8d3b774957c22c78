"""Excel (.xlsx) -> one grid per sheet, each cell with its sheet reference and typed value.

Files saved by Excel or LibreOffice carry a cached value for each formula; files written by
other tools may not, and then the formula is computed here (with the ``formulas`` library
evaluating each expression over the cells it refers to).
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from openpyxl.utils.cell import get_column_letter

from pipeline.models import Cell, Grid, ReadDocument
from pipeline.read.cached_values import cached_formula_values
from pipeline.read.cell_text import sheet_cell
from pipeline.read.formula import FormulaError
from pipeline.read.workbook_cells import MAX_COLS, MAX_ROWS, WorkbookCells
from pipeline.read.workbook_triage import may_be_form_workbook, supporting_grids


def read_xlsx(data: bytes, filename: str, sha256: str) -> ReadDocument:
    """Each sheet as a grid: in full, formulas computed, when the workbook may be a form;
    its saved values read once, read-only, when it is certainly not."""
    if not may_be_form_workbook(data):
        grids = supporting_grids(data)
        return ReadDocument(filename=filename, sha256=sha256, format="xlsx", grids=grids)
    formulas_book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    cached: dict[str, Any] | None = cached_formula_values(data, formulas_book)
    if cached is None:  # a layout the quick reading does not know: let openpyxl read it again
        values_book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        cached = {sheet.title: _Values(sheet) for sheet in values_book.worksheets}
    cells = WorkbookCells(formulas_book, cached)
    grids = tuple(_sheet_grid(sheet, cells) for sheet in formulas_book.worksheets)
    return ReadDocument(filename=filename, sha256=sha256, format="xlsx", grids=grids)


class _Values:
    """A values-only worksheet, looked up like the quick reading's dict of cached values."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def get(self, ref: str) -> Any:
        return self.sheet[ref].value


def _sheet_grid(sheet: Any, cells: WorkbookCells) -> Grid:
    max_row = min(sheet.max_row or 0, MAX_ROWS)
    max_col = min(sheet.max_column or 0, MAX_COLS)
    rows = []
    for row in range(1, max_row + 1):
        rows.append(tuple(_cell(sheet, cells, row, col) for col in range(1, max_col + 1)))
    return Grid(name=sheet.title, rows=tuple(rows))


def _cell(sheet: Any, cells: WorkbookCells, row: int, col: int) -> Cell:
    value = cells.value_at(sheet, row, col, f"{get_column_letter(col)}{row}")
    problem = value.explained() if isinstance(value, FormulaError) else None
    return sheet_cell(sheet.title, row, col, value, problem)
