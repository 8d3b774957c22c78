"""The decision log: one spreadsheet row per case for the panel's decisions, and reading it back.

The admin fills the log during the meeting: Decision from a drop-down, Amount agreed, Review
date, Actions. ``columns`` holds what the writer and the reader share, ``write`` makes the
workbook, ``read`` checks every row of a filled one and returns its decisions, or nothing.
"""

from pipeline.meetings.decision_log.columns import (
    ACTIONS,
    AMOUNT,
    COLUMNS,
    DECISION,
    REVIEW,
    DecisionLogError,
    Problem,
    add_months,
)
from pipeline.meetings.decision_log.read import Logged, read_decision_log, read_logged
from pipeline.meetings.decision_log.write import write_decision_log

__all__ = [
    "ACTIONS",
    "AMOUNT",
    "COLUMNS",
    "DECISION",
    "REVIEW",
    "DecisionLogError",
    "Logged",
    "Problem",
    "add_months",
    "read_decision_log",
    "read_logged",
    "write_decision_log",
]
