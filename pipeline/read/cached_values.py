"""The values Excel or LibreOffice saved for a workbook's formula cells, read from the sheet XML.

``read_xlsx`` loads a workbook once, with its formulas; the value each formula last showed
is read here from the ``<v>`` beside its ``<f>`` and typed exactly as openpyxl's values-only
loading types it (numbers, dates by the cell's number format, booleans, text, errors). It
saves loading the whole workbook a second time. Anything unusual (a strict-namespace file, a
formula cell typed as a shared or inline string, a sheet not found) returns None, and the
caller loads the values-only workbook as before.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import Any

from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.utils.datetime import from_excel, from_ISO8601

from pipeline.read.formula import FORMULA_ERROR

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CELL, FORMULA, VALUE = f"{{{MAIN}}}c", f"{{{MAIN}}}f", f"{{{MAIN}}}v"

CachedValues = dict[str, dict[str, Any]]


class _Unusual(Exception):
    """Something the quick reading does not handle: fall back to openpyxl."""


def cached_formula_values(data: bytes, book: Any) -> CachedValues | None:
    """Sheet title -> {cell reference -> cached value} of its formula cells, or None."""
    date_formats = getattr(book, "_date_formats", None)
    timedelta_formats = getattr(book, "_timedelta_formats", None)
    if date_formats is None or timedelta_formats is None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = _sheet_parts(archive)
            values: CachedValues = {}
            for sheet in book.worksheets:
                part = parts.get(sheet.title)
                if part is None:
                    raise _Unusual(sheet.title)
                xml = archive.read(part)
                if b"<f" not in xml and b":f" not in xml:  # no formulas: nothing cached
                    continue
                values[sheet.title] = _sheet_values(
                    xml, book.epoch, date_formats, timedelta_formats
                )
    except (_Unusual, KeyError, ValueError, SyntaxError, zipfile.BadZipFile):  # XML errors
        return None
    return values


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the path of its XML part in the archive."""
    workbook = fromstring(archive.read("xl/workbook.xml"))
    if workbook.tag != f"{{{MAIN}}}workbook":
        raise _Unusual("namespace")
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{RELS}}}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{{{MAIN}}}sheet"):
        target = targets.get(sheet.get(f"{{{DOC_RELS}}}id"), "")
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join("xl", target))
        parts[sheet.get("name", "")] = path
    return parts


def _sheet_values(
    xml: bytes, epoch: Any, date_formats: set[int], timedelta_formats: set[int]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for _, element in iterparse(io.BytesIO(xml), events=("end",)):
        if element.tag != CELL:
            continue
        if element.find(FORMULA) is not None:
            ref = element.get("r")
            if ref is None:
                raise _Unusual("a cell without its reference")
            value = _typed(element, epoch, date_formats, timedelta_formats)
            if value is not None:
                values[ref] = value
        element.clear()
    return values


def _typed(element: Any, epoch: Any, date_formats: set[int], timedelta_formats: set[int]) -> Any:
    """The cell's cached value, typed as openpyxl's ``WorkSheetParser.parse_cell`` types it."""
    data_type = element.get("t", "n")
    if data_type in ("s", "inlineStr"):
        raise _Unusual("a formula cell typed as a shared or inline string")
    value = element.findtext(VALUE, None) or None
    if value is None:
        return None
    if data_type == "n":
        decimal = "." in value or "E" in value or "e" in value
        number: int | float = float(value) if decimal else int(value)
        style_id = int(element.get("s", 0) or 0)
        if style_id in date_formats:
            try:
                return from_excel(number, epoch, timedelta=style_id in timedelta_formats)
            except (OverflowError, ValueError):
                return FORMULA_ERROR
        return number
    if data_type == "b":
        return bool(int(value))
    if data_type == "d":
        return from_ISO8601(value)
    return value  # "str" (text) and "e" (an error such as #DIV/0!) stay as written
