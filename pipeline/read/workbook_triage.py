"""Which workbooks need the full reading: only those that may be a cluster form.

A provision map (or any form sent as a workbook) is loaded whole by openpyxl, with its
formulas, so that a formula without a saved value is computed and a failed one explained. A
supporting workbook (a timetable, a tracker, an attendance export) needs none of it: its
fields are never read. The first look takes every piece of text in the workbook's sheets and
shared strings (cell text, inline text, formulas, page headers), parsed with defusedxml as
openpyxl parses them, and asks the PDF triage's question of it: any form's title, or half of
any form's required labels. Only a workbook that is certainly no form is opened once,
read-only, for the values Excel saved, each sheet as one grid, as the full reading lays it out.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
from defusedxml.ElementTree import fromstring
from openpyxl.utils.cell import get_column_letter

from pipeline.models import Cell, Grid
from pipeline.read.cell_text import display_text, raw_value
from pipeline.read.pdf_triage import may_be_form
from pipeline.read.workbook_cells import MAX_COLS, MAX_ROWS

# Parts that hold no text a form could show: formatting, colours, the calculation chain.
_NO_TEXT = ("xl/styles.xml", "xl/theme/", "xl/calcChain.xml", "xl/printerSettings/")


def may_be_form_workbook(data: bytes) -> bool:
    """Whether the workbook's text may hold a cluster form (a title, or enough labels)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = [
            " ".join(fromstring(archive.read(name)).itertext())
            for name in archive.namelist()
            if name.startswith("xl/") and name.endswith(".xml") and not name.startswith(_NO_TEXT)
        ]
    return may_be_form([text])


def supporting_grids(data: bytes) -> tuple[Grid, ...]:
    """Each sheet's saved values, opened once read-only: the rows as stored, as wide as the
    widest, cut at the full reading's limits."""
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return tuple(_grid(sheet) for sheet in book.worksheets)
    finally:
        book.close()


def _grid(sheet: Any) -> Grid:
    sheet.reset_dimensions()  # the saved size may be wrong: read the rows that are there
    values = [tuple(row[:MAX_COLS]) for row in sheet.iter_rows(max_row=MAX_ROWS, values_only=True)]
    width = max((len(row) for row in values), default=0)
    rows = []
    for row_number, row in enumerate(values, start=1):
        padded = row + (None,) * (width - len(row))
        rows.append(
            tuple(
                _cell(sheet.title, row_number, col, value)
                for col, value in enumerate(padded, start=1)
            )
        )
    return Grid(name=sheet.title, rows=tuple(rows))


def _cell(title: str, row: int, col: int, value: Any) -> Cell:
    ref = f"{get_column_letter(col)}{row}"
    return Cell(
        text=display_text(value),
        value=raw_value(value),
        row=row,
        col=col,
        location=f"sheet '{title}' cell {ref}",
    )
