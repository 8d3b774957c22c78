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
from defusedxml.ElementTree import iterparse

from pipeline.models import Grid
from pipeline.read.cell_text import sheet_cell
from pipeline.read.pdf_triage import may_be_form
from pipeline.read.workbook_cells import MAX_COLS, MAX_ROWS

# Parts that hold no text a form could show: formatting, colours, the calculation chain.
_NO_TEXT = ("xl/styles.xml", "xl/theme/", "xl/calcChain.xml", "xl/printerSettings/")
SHARED_STRINGS = "xl/sharedStrings.xml"
_FIRST_LOOK = 16  # pieces of text read before the first look: a title is among them


def may_be_form_workbook(data: bytes) -> bool:
    """Whether the workbook's text may hold a cluster form (a title, or enough labels).

    The shared strings come first and the question is asked again each time the text read so
    far doubles, so a form (whose title is among its first few pieces) is known at once; the
    answer only ever turns from no to yes as text is added, so stopping early changes nothing.
    """
    texts: list[str] = []
    next_look = _FIRST_LOOK
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in _text_parts(archive.namelist()):
            with archive.open(name) as part:
                for _, element in iterparse(part):
                    if element.text:
                        texts.append(element.text)
                    element.clear()
                    if len(texts) >= next_look:
                        if may_be_form([texts]):
                            return True
                        next_look *= 2
    return may_be_form([texts])


def _text_parts(names: list[str]) -> list[str]:
    parts = [
        name
        for name in names
        if name.startswith("xl/") and name.endswith(".xml") and not name.startswith(_NO_TEXT)
    ]
    return sorted(parts, key=lambda name: name != SHARED_STRINGS)


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
                sheet_cell(sheet.title, row_number, col, value)
                for col, value in enumerate(padded, start=1)
            )
        )
    return Grid(name=sheet.title, rows=tuple(rows))
