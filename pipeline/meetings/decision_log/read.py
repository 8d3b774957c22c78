"""Reading the filled decision log back: every row checked before anything is imported.

:func:`read_decision_log` raises :class:`DecisionLogError` naming the first bad row and
column; it is a pure function and the caller (the register import) writes nothing when it
raises.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.meetings.decision_log.columns import (
    ACTIONS,
    AMOUNT,
    CASE_REF,
    DECISION,
    INPUTS,
    REVIEW,
    SHEET,
    SUBJECT,
    DecisionLogError,
    Problem,
    add_months,
)
from pipeline.outcomes import Decision, DecisionKind
from pipeline.reports.wording import format_date
from schemas.types import parse_money, parse_uk_date

T = TypeVar("T")


@dataclass(frozen=True)
class _Row:
    number: int
    values: dict[str, Any]

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class Logged:
    """A decision and the spreadsheet row it was read from."""

    row: int
    decision: Decision


def read_decision_log(data: bytes, meeting: date, known_cases: set[str]) -> list[Decision]:
    """The decisions in a filled decision log, after checking every row; nothing on error.

    A row with no Decision is a case the panel did not reach and is skipped, as are empty
    rows. Agreed funding with no review date gets ``review_date=None``: the register import
    sets it to the latest panel meeting before the meeting plus 12 months.

    Raises DecisionLogError listing every bad cell: an unknown or repeated case ref, an
    unknown decision, a missing amount for Agreed / Agreed with changes, an amount for
    Declined / Deferred, a negative or unreadable amount, a review date that is not a date,
    is before the meeting or more than 12 months after it.
    """
    logged, problems = read_logged(data, meeting, known_cases)
    if problems:
        raise DecisionLogError.of(problems)
    return [entry.decision for entry in logged]


def read_logged(
    data: bytes, meeting: date, known_cases: set[str]
) -> tuple[list[Logged], list[Problem]]:
    """Every readable decision with its row, and every bad cell; raises only for a file
    that is not a decision log of this meeting."""
    sheet = _open(data, meeting)
    logged: list[Logged] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row in _rows(sheet):
        decision = _decision(row, meeting, known_cases, seen, problems)
        if decision is not None:
            logged.append(Logged(row.number, decision))
    return logged, problems


def _open(data: bytes, meeting: date) -> Worksheet:
    return open_meeting_sheet(data, meeting, SUBJECT, SHEET, DecisionLogError)


def open_meeting_sheet(
    data: bytes, meeting: date, subject: str, name: str, error: Callable[[str], Exception]
) -> Worksheet:
    """The workbook's sheet ``name`` (else its first), refused with ``error`` when the file is
    no workbook or was written for another meeting (its subject, ``subject`` with ``{day}``)."""
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise error(f"is not an Excel workbook (.xlsx): {exc}") from None
    written = workbook.properties.subject
    expected = subject.format(day=meeting.isoformat())
    if written and written.startswith(subject.format(day="")) and written != expected:
        raise error(f"is for another meeting ({written.rsplit(' ', 1)[-1]})")
    sheet = workbook[name] if name in workbook.sheetnames else workbook.active
    if sheet is None:
        raise error("has no sheet")
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


def _decision(
    row: _Row, meeting: date, known: set[str], seen: dict[str, int], problems: list[Problem]
) -> Decision | None:
    """The row's decision, or None; each bad cell is added to ``problems``."""
    before = len(problems)
    ref = _noting(problems, lambda: _case_ref(row, known, seen))
    kind = _noting(problems, lambda: _kind(row))
    if kind is None:
        if not row.text(DECISION) and any(row.text(c) for c in (AMOUNT, REVIEW)):
            problems.append(
                Problem(row.number, DECISION, "is empty, but an amount or review date is filled in")
            )
        return None
    amount = _noting(problems, lambda: _amount(row, kind))
    review = _noting(problems, lambda: _review(row, meeting))
    if ref is None or len(problems) > before:
        return None
    return Decision(
        case_ref=ref,
        meeting=meeting,
        decision=kind,
        amount_agreed=amount,
        review_date=review,
        actions=row.text(ACTIONS),
    )


def _noting(problems: list[Problem], check: Callable[[], T]) -> T | None:
    try:
        return check()
    except DecisionLogError as exc:
        problems.extend(exc.problems)
        return None


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
