"""Writing the decision log: one row per case on the agenda, the panel's inputs unlocked, with
drop-downs and checks on each input column and a sheet saying how to fill it in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.meetings.decision_log.columns import (
    COLUMNS,
    DATE_FORMAT,
    HELP_SHEET,
    MONEY_FORMAT,
    SHEET,
    SUBJECT,
    WIDTHS,
    add_months,
)
from pipeline.meetings.models import CaseFile, MeetingPack
from pipeline.meetings.panel_workbook import INPUT_FILL, header_row, save_workbook
from pipeline.outcomes import DecisionKind
from pipeline.reports.text_cells import all_as_text
from pipeline.reports.wording import format_date, request_type


def write_decision_log(path: Path, pack: MeetingPack) -> None:
    """Write the meeting's decision log (.xlsx) atomically: one row per case on the agenda."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    _fill(sheet, pack.cases)
    _validate(sheet, pack.meeting.day, len(pack.cases))
    _help(workbook.create_sheet(HELP_SHEET), pack.meeting.day)
    for worksheet in workbook.worksheets:
        all_as_text(worksheet.iter_rows())
    workbook.properties.subject = SUBJECT.format(day=pack.meeting.day.isoformat())
    workbook.properties.title = f"{pack.cluster} panel decisions, {format_date(pack.meeting.day)}"
    save_workbook(workbook, path)


def _fill(sheet: Worksheet, cases: Sequence[CaseFile]) -> None:
    header_row(sheet, COLUMNS)
    for case in sorted(cases, key=lambda c: c.case_ref):
        sheet.append(
            [
                case.case_ref,
                case.setting or "",
                request_type(case.request_type),
                case.pupil.initials if case.pupil else (case.project_title or ""),
                case.amount_requested,
                None,
                None,
                None,
                None,
            ]
        )
    for number, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for row in sheet.iter_rows(min_row=2):
        row[4].number_format = MONEY_FORMAT
        row[6].number_format = MONEY_FORMAT
        row[7].number_format = DATE_FORMAT
        for cell in row[5:]:
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
        row[8].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 2)}"
    sheet.protection.sheet = True  # no password: it only stops case rows being overtyped
    sheet.protection.autoFilter = False
    sheet.protection.sort = False


def _validate(sheet: Worksheet, meeting: date, cases: int) -> None:
    last = max(cases + 1, 2)
    latest = add_months(meeting, 12)
    rules = (
        (
            DataValidation(
                type="list",
                formula1='"' + ",".join(k.value for k in DecisionKind) + '"',
                allow_blank=True,
                showDropDown=False,
            ),
            "F",
            "Choose Agreed, Agreed with changes, Declined or Deferred.",
        ),
        (
            DataValidation(
                type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            ),
            "G",
            "An amount in pounds, 0 or more. Required when the decision is Agreed.",
        ),
        (
            DataValidation(
                type="date",
                operator="between",
                formula1=_excel_date(meeting),
                formula2=_excel_date(latest),
                allow_blank=True,
            ),
            "H",
            f"A date from {format_date(meeting)} to {format_date(latest)}. "
            "Leave blank for the usual review at the last meeting within a year.",
        ),
    )
    for rule, column, message in rules:
        rule.error = message
        rule.errorTitle = "Not allowed"
        rule.prompt = message
        rule.showErrorMessage = True
        rule.showInputMessage = True
        rule.add(f"{column}2:{column}{last}")
        sheet.add_data_validation(rule)


def _excel_date(day: date) -> str:
    return f"DATE({day.year},{day.month},{day.day})"


def _help(sheet: Worksheet, meeting: date) -> None:
    lines = (
        f"Decision log of the panel meeting on {format_date(meeting)}.",
        "Fill in one row per case: Decision (from the list), Amount agreed, Review date, Actions.",
        "Amount agreed is required for 'Agreed' and 'Agreed with changes' and must be blank "
        "for 'Declined' and 'Deferred'.",
        f"Review date: no later than {format_date(add_months(meeting, 12))} (12 months). "
        "Leave it blank and the review is set to the last panel meeting within 12 months "
        "of this one.",
        "Leave Decision blank for a case the panel did not reach; it is not imported.",
        "Do not change the case references or add rows.",
    )
    for line in lines:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 120
