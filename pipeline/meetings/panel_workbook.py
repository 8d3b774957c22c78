"""What the workbooks the panel fills in (the decision log, the capital scoring sheet) share:
the look of their header row and of the cells left open for the panel, and how one is saved."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.atomic import write_atomic

HEADER_FILL = PatternFill("solid", fgColor="DCE3EE")
INPUT_FILL = PatternFill("solid", fgColor="FFFBEA")  # a cell the panel fills in


def header_row(sheet: Worksheet, columns: Sequence[str]) -> None:
    """The column headings as the sheet's first row: bold, shaded, wrapped."""
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def save_workbook(workbook: Workbook, path: Path) -> None:
    """The workbook written to ``path`` atomically."""
    out = io.BytesIO()
    workbook.save(out)
    write_atomic(path, out.getvalue())
