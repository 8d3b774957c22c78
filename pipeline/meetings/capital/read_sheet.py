"""Reading the filled scoring sheet back: every row checked, every problem reported at once.

Each bid on the meeting's agenda must have a row, reviewers named and a score from 0 to 5 on
each criterion; a Total the sheet carries must be the sum of the scores. Nothing is imported
while any problem remains.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from pipeline.meetings.capital.sheet import (
    CASE_REF,
    CRITERION_COLUMNS,
    RANGE,
    REVIEWERS,
    SHEET,
    SUBJECT,
    TOTAL,
    ScoringSheetError,
    SheetProblem,
)
from pipeline.meetings.decision_log.read import open_meeting_sheet
from pipeline.round_records import HIGHEST_SCORE, LOWEST_SCORE, BidScore
from schemas.capital_bid import CRITERIA

Row = tuple[int, dict[str, Any]]


def read_scoring_sheet(data: bytes, meeting: date, bids: Mapping[str, str]) -> list[BidScore]:
    """The scores of every bid in ``bids`` (case ref -> setting), or ScoringSheetError naming
    every bad cell and every bid left unscored."""
    problems: list[SheetProblem] = []
    scores: list[BidScore] = []
    seen: dict[str, int] = {}
    for number, values in _rows(_open(data, meeting)):
        score = _row(number, values, meeting, bids, seen, problems)
        if score is not None:
            scores.append(score)
    for ref in sorted(set(bids) - set(seen)):
        problems.append(
            SheetProblem(None, CASE_REF, f"{ref} ({bids[ref]}) has no row: every bid is scored")
        )
    if problems:
        raise ScoringSheetError.of(problems)
    return scores


def _open(data: bytes, meeting: date) -> Worksheet:
    return open_meeting_sheet(data, meeting, SUBJECT, SHEET, ScoringSheetError)


def _rows(sheet: Worksheet) -> Iterator[Row]:
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
    missing = [c for c in (CASE_REF, REVIEWERS, *CRITERION_COLUMNS) if c not in header]
    if missing:
        raise ScoringSheetError(f"row 1 lacks the column(s) {', '.join(missing)}")
    for number, values in enumerate(rows, start=2):
        cells = dict(zip(header, values, strict=False))
        if any(v is not None and str(v).strip() for v in cells.values()):
            yield number, cells


def _row(
    number: int,
    values: dict[str, Any],
    meeting: date,
    bids: Mapping[str, str],
    seen: dict[str, int],
    problems: list[SheetProblem],
) -> BidScore | None:
    before = len(problems)
    ref = _text(values.get(CASE_REF)).upper()
    if ref not in bids:
        what = f"'{ref}' is not a capital bid on this meeting's agenda" if ref else "is empty"
        problems.append(SheetProblem(number, CASE_REF, what))
    elif ref in seen:
        problems.append(SheetProblem(number, CASE_REF, f"'{ref}' is also on row {seen[ref]}"))
    else:
        seen[ref] = number
    reviewers = _text(values.get(REVIEWERS))
    if not reviewers:
        problems.append(SheetProblem(number, REVIEWERS, "is empty: say who scored the bid"))
    scores = {
        criterion: _score(number, column, values.get(column), problems)
        for criterion, column in zip(CRITERIA, CRITERION_COLUMNS, strict=True)
    }
    _check_total(number, values.get(TOTAL), scores, problems)
    if len(problems) > before:
        return None
    return BidScore(
        case_ref=ref,
        meeting=meeting,
        reviewers=reviewers,
        scores={k: v for k, v in scores.items() if v is not None},
    )


def _score(number: int, column: str, raw: Any, problems: list[SheetProblem]) -> int | None:
    text = _text(raw)
    if not text:
        problems.append(SheetProblem(number, column, f"is empty: score it as {RANGE}"))
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(SheetProblem(number, column, f"'{text}' is not {RANGE}"))
        return None
    if value != value.to_integral_value() or not LOWEST_SCORE <= value <= HIGHEST_SCORE:
        problems.append(SheetProblem(number, column, f"{text} is not {RANGE}"))
        return None
    return int(value)


def _check_total(
    number: int, raw: Any, scores: dict[str, int | None], problems: list[SheetProblem]
) -> None:
    text = _text(raw)
    if not text or None in scores.values() or text.startswith("="):
        return  # a formula the sheet's writer saved without its value: the sum is ours
    total = sum(v for v in scores.values() if v is not None)
    try:
        matches = Decimal(text) == total
    except InvalidOperation:
        matches = False
    if not matches:
        problems.append(
            SheetProblem(number, TOTAL, f"{text} is not the sum of the six scores ({total})")
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
