"""The decision log's sheet, columns and error: what its writer and its reader share."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from openpyxl.styles import PatternFill

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
