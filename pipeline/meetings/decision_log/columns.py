"""The decision log's sheet, columns and error: what its writer and its reader share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from pipeline.errors import PipelineError

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


@dataclass(frozen=True)
class Problem:
    """One bad cell: the spreadsheet row number, the column header and what is wrong."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column '{self.column}': {self.message}"


class DecisionLogError(PipelineError):
    """A decision log that cannot be imported; ``row`` and ``column`` say where (the first
    problem), ``problems`` lists every bad cell found."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        where = f"row {row}, column '{column}': " if row is not None and column else ""
        super().__init__(f"decision log {where}{message}")
        self.row = row
        self.column = column
        self.problems = tuple(problems) or (
            (Problem(row, column, message),) if row is not None and column else ()
        )

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> DecisionLogError:
        """Every problem, one line each, in row order; nothing is imported."""
        ordered = sorted(problems, key=lambda p: (p.row, COLUMNS.index(p.column)))
        lines = "".join(f"\n  {p}" for p in ordered)
        error = cls(f"has {len(ordered)} problem(s); nothing was imported:{lines}")
        error.row, error.column, error.problems = ordered[0].row, ordered[0].column, tuple(ordered)
        return error


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    return day + relativedelta(months=months)
