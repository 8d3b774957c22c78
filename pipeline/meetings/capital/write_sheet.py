"""Writing the scoring sheet for the meeting that assesses the capital round."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.meetings.capital.sheet import (
    COLUMNS,
    CRITERION_COLUMNS,
    FILENAME,
    RANGE,
    SHEET,
    SUBJECT,
)
from pipeline.meetings.models import CaseFile, MeetingPack
from pipeline.meetings.panel_workbook import INPUT_FILL, header_row, save_workbook
from pipeline.models import RequestType
from pipeline.reports.text_cells import all_as_text
from pipeline.reports.wording import format_date
from pipeline.round_records import HIGHEST_SCORE, LOWEST_SCORE

logger = logging.getLogger(__name__)
FIRST_INPUT = COLUMNS.index(CRITERION_COLUMNS[0]) - 1  # Reviewers, then the six criteria


def capital_bids(pack: MeetingPack) -> list[CaseFile]:
    return sorted(
        (c for c in pack.cases if c.request_type is RequestType.capital), key=lambda c: c.case_ref
    )


def write_scoring_sheet(out_dir: Path, pack: MeetingPack) -> Path | None:
    """``out_dir/scoring-sheet.xlsx`` when the meeting hears capital bids, never over a sheet
    that already has scores in it; its path, or None."""
    bids = capital_bids(pack)
    path = out_dir / FILENAME
    if not bids:
        return None
    if path.exists() and _has_scores(path):
        logger.warning("%s has scores filled in and was kept", path.name)
        return path
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _fill(sheet, bids)
    for worksheet in workbook.worksheets:
        all_as_text(worksheet.iter_rows())
    _totals(sheet, len(bids))
    _validate(sheet, len(bids))
    workbook.properties.subject = SUBJECT.format(day=pack.meeting.day.isoformat())
    workbook.properties.title = (
        f"{pack.cluster} capital round scores, {format_date(pack.meeting.day)}"
    )
    save_workbook(workbook, path)
    return path


def _has_scores(path: Path) -> bool:
    try:
        sheet = load_workbook(path, data_only=True)[SHEET]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):  # it may hold scores: keep it
        return True
    first = FIRST_INPUT + 1
    return any(
        cell.value not in (None, "")
        for row in sheet.iter_rows(min_row=2, min_col=first + 1, max_col=first + 6)
        for cell in row
    )


def _fill(sheet: Worksheet, bids: Sequence[CaseFile]) -> None:
    header_row(sheet, COLUMNS)
    for bid in bids:
        sheet.append(
            [bid.case_ref, bid.setting or "", bid.project_title or "", bid.amount_requested]
        )
    widths = (16, 34, 34, 16, 24, *(14,) * len(CRITERION_COLUMNS), 10)
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for row in sheet.iter_rows(min_row=2, max_col=len(COLUMNS)):
        row[3].number_format = "£#,##0.00"
        for cell in row[FIRST_INPUT : FIRST_INPUT + 1 + len(CRITERION_COLUMNS)]:
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
    sheet.freeze_panes = "B2"
    sheet.protection.sheet = True  # no password: it only stops the bids being overtyped


def _totals(sheet: Worksheet, bids: int) -> None:
    first = get_column_letter(FIRST_INPUT + 2)
    last = get_column_letter(FIRST_INPUT + 1 + len(CRITERION_COLUMNS))
    for row in range(2, bids + 2):
        sheet.cell(row, len(COLUMNS)).value = f"=SUM({first}{row}:{last}{row})"


def _validate(sheet: Worksheet, bids: int) -> None:
    rule = DataValidation(
        type="whole",
        operator="between",
        formula1=str(LOWEST_SCORE),
        formula2=str(HIGHEST_SCORE),
        allow_blank=True,
    )
    rule.error = rule.prompt = f"Each criterion is scored as {RANGE}."
    rule.errorTitle = "Not allowed"
    rule.showErrorMessage = rule.showInputMessage = True
    first = get_column_letter(FIRST_INPUT + 2)
    last = get_column_letter(FIRST_INPUT + 1 + len(CRITERION_COLUMNS))
    rule.add(f"{first}2:{last}{max(bids + 1, 2)}")
    sheet.add_data_validation(rule)
