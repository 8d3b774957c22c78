"""The decision log: one spreadsheet row per case for the panel's decisions, and reading it back.

The admin fills the log during the meeting: Decision from a drop-down, Amount agreed, Review
date, Actions. :func:`read_decision_log` checks every row before anything is imported and
raises :class:`DecisionLogError` naming the first bad row and column; it is a pure function
and the caller (the register import) writes nothing when it raises.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.atomic import write_atomic
from pipeline.errors import PipelineError
from pipeline.meetings.models import CaseFile, Decision, DecisionKind, MeetingPack
from pipeline.reports.text_cells import all_as_text
from pipeline.reports.wording import format_date, request_type
from schemas.types import parse_money, parse_uk_date

SHEET = "Decisions"
HELP_SHEET = "How to fill in"
SUBJECT = "Central Cluster panel decisions {day}"
CASE_REF, SETTING, REQUEST, WHO, REQUESTED = (
    "Case ref",
    "Setting",
    "Request type",
    "Pupil initials / project title",
    "Amount requested (£)",
)
DECISION, AMOUNT, REVIEW, ACTIONS = "Decision", "Amount agreed", "Review date", "Actions"
COLUMNS = (CASE_REF, SETTING, REQUEST, WHO, REQUESTED, DECISION, AMOUNT, REVIEW, ACTIONS)
WIDTHS = (16, 34, 30, 30, 18, 22, 16, 14, 50)
INPUTS = (DECISION, AMOUNT, REVIEW, ACTIONS)
MONEY_FORMAT = "£#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
HEADER_FILL = PatternFill("solid", fgColor="DCE3EE")
INPUT_FILL = PatternFill("solid", fgColor="FFFBEA")


class DecisionLogError(PipelineError):
    """A decision log that cannot be imported; ``row`` and ``column`` say where."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        where = f"row {row}, column '{column}': " if row is not None and column else ""
        super().__init__(f"decision log {where}{message}")
        self.row = row
        self.column = column


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    return day + relativedelta(months=months)


# --- writing ------------------------------------------------------------------------------------


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
    out = io.BytesIO()
    workbook.save(out)
    write_atomic(path, out.getvalue())


def _fill(sheet: Worksheet, cases: Sequence[CaseFile]) -> None:
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
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


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int
    values: dict[str, Any]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()


def read_decision_log(data: bytes, meeting: date, known_cases: set[str]) -> list[Decision]:
    """The decisions in a filled decision log, after checking every row; nothing on error.

    A row with no Decision is a case the panel did not reach and is skipped, as are empty
    rows. Agreed funding with no review date gets ``review_date=None``: the register import
    sets it to the latest panel meeting before the meeting plus 12 months.

    Raises DecisionLogError for the first bad row: an unknown or repeated case ref, an
    unknown decision, a missing amount for Agreed / Agreed with changes, an amount for
    Declined / Deferred, a negative or unreadable amount, a review date that is not a date,
    is before the meeting or more than 12 months after it.
    """
    sheet = _open(data, meeting)
    decisions: list[Decision] = []
    seen: dict[str, int] = {}
    for row in _rows(sheet):
        decision = _decision(row, meeting, known_cases, seen)
        if decision is not None:
            decisions.append(decision)
    return decisions


def _open(data: bytes, meeting: date) -> Worksheet:
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DecisionLogError(f"is not an Excel workbook (.xlsx): {exc}") from None
    subject = workbook.properties.subject
    expected = SUBJECT.format(day=meeting.isoformat())
    if subject and subject.startswith(SUBJECT.format(day="")) and subject != expected:
        raise DecisionLogError(f"is for another meeting ({subject.rsplit(' ', 1)[-1]})")
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.active
    if sheet is None:
        raise DecisionLogError("has no sheet")
    return sheet


def _rows(sheet: Worksheet) -> Iterator[_Row]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    missing = [c for c in (CASE_REF, *INPUTS) if c not in header]
    if missing:
        raise DecisionLogError(f"row 1 lacks the column(s) {', '.join(missing)}", row=None)
    for number, values in enumerate(rows, start=2):
        cells = dict(zip(header, values, strict=False))
        if any(v is not None and str(v).strip() for v in cells.values()):
            yield _Row(number, cells)


def _decision(row: _Row, meeting: date, known: set[str], seen: dict[str, int]) -> Decision | None:
    ref = _case_ref(row, known, seen)
    kind = _kind(row)
    if kind is None:
        if any(row.text(c) for c in (AMOUNT, REVIEW)):
            raise DecisionLogError(
                "is empty, but an amount or review date is filled in",
                row=row.number,
                column=DECISION,
            )
        return None
    return Decision(
        case_ref=ref,
        meeting=meeting,
        decision=kind,
        amount_agreed=_amount(row, kind),
        review_date=_review(row, meeting),
        actions=row.text(ACTIONS),
    )


def _case_ref(row: _Row, known: set[str], seen: dict[str, int]) -> str:
    ref = row.text(CASE_REF).upper()
    if not ref:
        raise DecisionLogError("is empty", row=row.number, column=CASE_REF)
    if ref not in known:
        raise DecisionLogError(
            f"'{ref}' is not a case on this meeting's agenda", row=row.number, column=CASE_REF
        )
    if ref in seen:
        raise DecisionLogError(
            f"'{ref}' is also on row {seen[ref]}", row=row.number, column=CASE_REF
        )
    seen[ref] = row.number
    return ref


def _kind(row: _Row) -> DecisionKind | None:
    text = " ".join(row.text(DECISION).split())
    if not text:
        return None
    for kind in DecisionKind:
        if kind.value.casefold() == text.casefold():
            return kind
    allowed = ", ".join(k.value for k in DecisionKind)
    raise DecisionLogError(f"'{text}' is not one of: {allowed}", row=row.number, column=DECISION)


def _amount(row: _Row, kind: DecisionKind) -> Decimal | None:
    raw = row.values.get(AMOUNT)
    if raw is None or not str(raw).strip():
        if kind.commits_money:
            raise DecisionLogError(
                f"is required when the decision is '{kind.value}'", row=row.number, column=AMOUNT
            )
        return None
    if not kind.commits_money:
        raise DecisionLogError(
            f"must be blank when the decision is '{kind.value}'", row=row.number, column=AMOUNT
        )
    try:
        amount = parse_money(raw)
    except ValueError as exc:
        raise DecisionLogError(str(exc), row=row.number, column=AMOUNT) from None
    if amount < 0:
        raise DecisionLogError("must not be negative", row=row.number, column=AMOUNT)
    return amount


def _review(row: _Row, meeting: date) -> date | None:
    raw = row.values.get(REVIEW)
    if raw is None or not str(raw).strip():
        return None
    try:
        day = (
            raw.date()
            if isinstance(raw, datetime)
            else raw
            if isinstance(raw, date)
            else parse_uk_date(raw)
        )
    except ValueError:
        raise DecisionLogError(f"'{raw}' is not a date", row=row.number, column=REVIEW) from None
    latest = add_months(meeting, 12)
    if day < meeting or day > latest:
        raise DecisionLogError(
            f"{format_date(day)} is not between the meeting ({format_date(meeting)}) "
            f"and 12 months after it ({format_date(latest)})",
            row=row.number,
            column=REVIEW,
        )
    return day
