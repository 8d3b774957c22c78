"""The costed provision map as an Excel workbook: header block, provision lines, totals.

Annual costs and totals are FORMULAS, and openpyxl stores no cached values for them: that is
deliberate, since schools' files written by other tools arrive that way and the pipeline must
compute them. A defect may replace a formula with a typed number (see ``written_costs`` and
``written_total`` on :class:`SampleReferral`).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from schemas import ProvisionLine, ProvisionMap, specs
from testkit.samples.archive import office_time, restamp
from testkit.samples.case import SampleReferral

HEADER_FIELDS = (
    "setting_name",
    "pupil_name",
    "upn",
    "date_of_birth",
    "year_group",
    "date_completed",
)
FIRST_HEADER_ROW = 3
TABLE_HEADER_ROW = FIRST_HEADER_ROW + len(HEADER_FIELDS) + 1
MONEY_FORMAT = '"£"#,##0.00'
DATE_FORMAT = "DD/MM/YYYY"


def render_provision_map(referral: SampleReferral) -> bytes:
    """The referral's provision map workbook, the same bytes every time for the same referral."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Provision map"
    sheet["A1"] = ProvisionMap.title
    sheet["A1"].font = Font(bold=True, size=14)
    _header_block(sheet, referral)
    last_row = _lines_table(sheet, referral)
    _totals(sheet, referral, last_row)
    for column, width in zip("ABCDEFGHI", (30, 44, 30, 12, 12, 12, 9, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    properties = workbook.properties
    properties.creator = properties.lastModifiedBy = referral.sender_name
    properties.created = properties.modified = office_time(referral.document_time)
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return restamp(buffer.getvalue(), referral.document_time)


def _header_block(sheet: Worksheet, referral: SampleReferral) -> None:
    labels = {spec.id: spec.label for spec in specs(ProvisionMap)}
    for offset, field_id in enumerate(HEADER_FIELDS):
        row = FIRST_HEADER_ROW + offset
        sheet.cell(row=row, column=1, value=labels[field_id]).font = Font(bold=True)
        value = referral.map_header.get(field_id)
        cell = sheet.cell(row=row, column=2, value=value)
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT


def _lines_table(sheet: Worksheet, referral: SampleReferral) -> int:
    """Write the header row and one row per line; the number of the last line's row."""
    columns = [spec.id for spec in specs(ProvisionLine)]
    letter = {column: get_column_letter(i + 1) for i, column in enumerate(columns)}
    for i, spec in enumerate(specs(ProvisionLine)):
        sheet.cell(row=TABLE_HEADER_ROW, column=i + 1, value=spec.label).font = Font(bold=True)
    row = TABLE_HEADER_ROW
    for index, line in enumerate(referral.lines):
        row = TABLE_HEADER_ROW + 1 + index
        for i, column in enumerate(columns):
            value = line[column]
            if column == "annual_cost":
                cost = referral.written_costs.get(index)
                value = cost if cost is not None else _cost_formula(letter, row)
            cell = sheet.cell(row=row, column=i + 1, value=value)
            if column in ("hourly_rate", "annual_cost"):
                cell.number_format = MONEY_FORMAT
    return row


def _cost_formula(letter: dict[str, str], row: int) -> str:
    """sessions x minutes / 60 x weeks x hourly rate / group size, rounded to pence."""
    s, m, w, r, g = (
        f"{letter[c]}{row}"
        for c in ("sessions_per_week", "minutes_per_session", "weeks", "hourly_rate", "group_size")
    )
    return f"=ROUND({s}*{m}/60*{w}*{r}/{g},2)"


def _totals(sheet: Worksheet, referral: SampleReferral, last_row: int) -> None:
    labels = {spec.id: spec.label for spec in specs(ProvisionMap)}
    cost_column = [spec.id for spec in specs(ProvisionLine)].index("annual_cost") + 1
    cost_letter = get_column_letter(cost_column)
    total_row = last_row + 2
    total: str | float = f"=SUM({cost_letter}{TABLE_HEADER_ROW + 1}:{cost_letter}{last_row})"
    if referral.written_total is not None:
        total = referral.written_total
    values: tuple[tuple[str, str | float], ...] = (
        ("total_cost", total),
        ("element2_contribution", referral.element2_contribution),
        ("amount_requested", f"={cost_letter}{total_row}-{cost_letter}{total_row + 1}"),
    )
    for offset, (field_id, value) in enumerate(values):
        row = total_row + offset
        sheet.cell(row=row, column=cost_column - 1, value=labels[field_id]).font = Font(bold=True)
        sheet.cell(row=row, column=cost_column, value=value).number_format = MONEY_FORMAT
