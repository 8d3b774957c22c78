"""A workbook's cells by the names formulas use: 'B4', 'A1:A5', 'Costs!B4', "'Staff costs'!D2:D9",
a defined name ('Rate'); each cell's cached value, or its formula computed when it has none.

Excel matches sheet and defined names whatever their letter case; so does this. A range is
cut to the sheet's used cells (the rest are empty), so 'SUM(D:D)' or 'SUM(A1:XFD1048576)'
costs no more than the sheet holds.
"""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils import range_boundaries
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from pipeline.read.formula import FormulaEvaluator, UnknownReference

MAX_ROWS = 2000
MAX_COLS = 60
_CELL = re.compile(r"\$?[A-Z]{1,3}\$?\d+")
_RANGE = re.compile(r"(\$?[A-Z]{1,3}(\$?\d+)?|\$?\d+):(\$?[A-Z]{1,3}(\$?\d+)?|\$?\d+)")
MISSING_SHEET = "refers to sheet '{name}', which the workbook does not have"
OTHER_WORKBOOK = "refers to another workbook ({name}), which was not sent with it"
UNKNOWN_NAME = "uses the name '{name}', which the workbook does not define"


class WorkbookCells:
    """Cell values of one workbook, formulas computed over any of its sheets."""

    def __init__(self, book: Any, cached: Any) -> None:
        self._sheets = {sheet.title.upper(): sheet for sheet in book.worksheets}
        self._cached = cached
        self._names = {name.upper(): value for name, value in book.defined_names.items()}
        self.evaluator = FormulaEvaluator(self.lookup)

    def value(self, sheet: Any, ref: str) -> Any:
        """The cell's cached value, or the computed one when a formula has none."""
        row, col = coordinate_to_tuple(ref)
        return self.value_at(sheet, row, col, ref)

    def value_at(self, sheet: Any, row: int, col: int, ref: str) -> Any:
        """``value`` of the cell at (row, col), whose reference is ``ref``: by position, as
        the grid and ranges are walked, without parsing the reference again."""
        raw = sheet.cell(row=row, column=col).value
        cached = self._cached.get(sheet.title, {})
        if isinstance(raw, str) and raw.startswith("="):
            value = cached.get(ref)
            return value if value is not None else self.evaluator.evaluate(sheet.title, ref, raw)
        if hasattr(raw, "text") and not isinstance(raw, str):  # an array formula object
            return cached.get(ref)
        return raw

    def lookup(self, sheet_title: str, name: str) -> Any:
        """What ``name`` in a formula on ``sheet_title`` stands for: a value, or a range's
        rows of values. Raises UnknownReference for what the workbook does not have."""
        if "!" in name:
            sheet_name, ref = name.rsplit("!", 1)
            return self._at(self._sheet(sheet_name), ref)
        ref = name.replace("$", "")
        if _CELL.fullmatch(ref) or _RANGE.fullmatch(ref):
            return self._at(self._sheets[sheet_title.upper()], ref)
        defined = self._names.get(name.upper())
        destinations = list(defined.destinations) if defined is not None else []
        if len(destinations) != 1:
            raise UnknownReference(name, UNKNOWN_NAME)
        target_sheet, target = destinations[0]
        return self._at(self._sheet(target_sheet), target)

    def _sheet(self, written: str) -> Any:
        name = written.strip("'").replace("''", "'")
        if name.startswith("["):
            raise UnknownReference(name, OTHER_WORKBOOK)
        sheet = self._sheets.get(name.upper())
        if sheet is None:
            raise UnknownReference(name, MISSING_SHEET)
        return sheet

    def _at(self, sheet: Any, ref: str) -> Any:
        ref = ref.replace("$", "")
        if ":" not in ref:
            return self.value(sheet, ref)
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        last_row = min(max_row or MAX_ROWS, sheet.max_row or 0, MAX_ROWS)
        last_col = min(max_col or MAX_COLS, sheet.max_column or 0, MAX_COLS)
        return [
            [
                self.value_at(sheet, r, c, f"{get_column_letter(c)}{r}")
                for c in range(min_col or 1, last_col + 1)
            ]
            for r in range(min_row or 1, last_row + 1)
        ]
