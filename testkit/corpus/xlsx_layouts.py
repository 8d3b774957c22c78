"""Costed provision maps laid out the ways schools lay them out, with their true values.

The variants move the table, shuffle its columns, add sheets before and after it, store the
numbers as text, merge header cells, and write costs as formulas with no cached value (a
LibreOffice-recalculated copy, with cached values, is made by the generator when available).
"""

from __future__ import annotations

import io
import random
from datetime import date
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from schemas import ProvisionLine, ProvisionMap, specs
from testkit.corpus.values import as_json
from testkit.samples import SampleReferral
from testkit.samples.xlsx_map import HEADER_FIELDS

LINE_COLUMNS = tuple(spec.id for spec in specs(ProvisionLine))
MAP_LABELS = {spec.id: spec.label for spec in specs(ProvisionMap)}
LINE_LABELS = {spec.id: spec.label for spec in specs(ProvisionLine)}


class Variant(NamedTuple):
    top: int = 10  # the table's header row
    left: int = 1  # its first column
    shuffle: bool = False
    values_below: bool = False  # header block values under their labels
    sheets_around: bool = False
    text_numbers: bool = False
    merged: bool = False


VARIANTS = {
    "xlsx-plain": Variant(),
    "xlsx-moved-shuffled": Variant(top=16, left=3, shuffle=True, values_below=True),
    "xlsx-extra-sheets": Variant(sheets_around=True),
    "xlsx-text-numbers": Variant(text_numbers=True),
    "xlsx-merged-header": Variant(merged=True),
}


def provision_map(referral: SampleReferral, variant: Variant, n: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if variant.sheets_around:
        sheet.title = "Guidance"
        sheet["A1"] = "How to complete the costed provision map"
        sheet = book.create_sheet("Provision map")
        book.create_sheet("Lists")["A1"] = "Area of need"
    sheet["A1"] = ProvisionMap.title
    if variant.merged:
        sheet.merge_cells("A1:F1")
    _header_block(sheet, referral, variant)
    columns = list(LINE_COLUMNS)
    if variant.shuffle:
        random.Random(n).shuffle(columns)
    last = _lines(sheet, referral, variant, columns)
    _totals(sheet, referral, variant, columns, last)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _header_block(sheet: Worksheet, referral: SampleReferral, variant: Variant) -> None:
    for offset, field_id in enumerate(HEADER_FIELDS):
        value = _written(referral.map_header.get(field_id), variant)
        if variant.values_below:
            column = 1 + offset
            sheet.cell(3, column, MAP_LABELS[field_id])
            sheet.cell(4, column, value)
            continue
        row = 3 + offset
        sheet.cell(row, 1, MAP_LABELS[field_id])
        if variant.merged:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.cell(row, 3 if variant.merged else 2, value)


def _written(value: Any, variant: Variant) -> Any:
    if isinstance(value, date) and variant.text_numbers:
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float) and variant.text_numbers:
        return f"{value:g}"
    return value


def _lines(sheet: Worksheet, referral: SampleReferral, variant: Variant, columns: list[str]) -> int:
    top = variant.top
    for i, column in enumerate(columns):
        sheet.cell(top, variant.left + i, LINE_LABELS[column])
        if variant.merged:
            sheet.merge_cells(
                start_row=top,
                start_column=variant.left + i,
                end_row=top + 1,
                end_column=variant.left + i,
            )
    row = top + (1 if variant.merged else 0)
    for index, line in enumerate(referral.lines):
        row += 2 if index == 1 else 1  # a blank row after the first line
        for i, column in enumerate(columns):
            sheet.cell(row, variant.left + i, _line_value(line, column, columns, row, variant))
    sheet.cell(row + 1, variant.left, "Notes: costs reviewed termly with the SENCo")
    return row


def _line_value(
    line: dict[str, Any], column: str, columns: list[str], row: int, variant: Variant
) -> Any:
    if column != "annual_cost":
        return _written(line[column], variant)
    if variant.text_numbers:
        return f"£{float(line[column]):,.2f}"
    ref = {c: f"{get_column_letter(variant.left + i)}{row}" for i, c in enumerate(columns)}
    return (
        f"=ROUND({ref['sessions_per_week']}*{ref['minutes_per_session']}/60*{ref['weeks']}"
        f"*{ref['hourly_rate']}/{ref['group_size']},2)"
    )


def _totals(
    sheet: Worksheet, referral: SampleReferral, variant: Variant, columns: list[str], last: int
) -> None:
    """Totals under the table, labelled in the column right of it, values beside them."""
    letter = get_column_letter(variant.left + columns.index("annual_cost"))
    label = variant.left + len(columns)
    value_letter = get_column_letter(label + 1)
    first_line = variant.top + (2 if variant.merged else 1)
    total_row = last + 3
    total: Any = f"=SUM({letter}{first_line}:{letter}{last})"
    requested: Any = f"={value_letter}{total_row}-{value_letter}{total_row + 1}"
    element2: Any = referral.element2_contribution
    if variant.text_numbers:
        total = f"£{referral.map_total:,.2f}"
        requested = f"£{referral.map_amount_requested:,.2f}"
        element2 = f"{element2:,.2f}"
    rows = (
        ("total_cost", total),
        ("element2_contribution", element2),
        ("amount_requested", requested),
    )
    for offset, (field_id, value) in enumerate(rows):
        sheet.cell(total_row + offset, label, MAP_LABELS[field_id])
        sheet.cell(total_row + offset, label + 1, value)


def expected_map(referral: SampleReferral) -> dict[str, Any]:
    """The values the pipeline should read from any variant of this referral's map."""
    fields = {k: as_json(v) for k, v in referral.map_header.items() if v is not None}
    fields["total_cost"] = referral.map_total
    fields["element2_contribution"] = referral.element2_contribution
    fields["amount_requested"] = referral.map_amount_requested
    lines = [{c: as_json(line[c]) for c in LINE_COLUMNS} for line in referral.lines]
    return {"fields": fields, "lines": lines}
