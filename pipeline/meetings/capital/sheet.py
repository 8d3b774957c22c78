"""The scoring sheet's columns and error: what its writer and its reader share.

One row per capital bid on the meeting's agenda; the panel's reviewers enter who scored and
a whole-number score from 0 to 5 for each of the seeds' six criteria; Total adds them up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.errors import PipelineError
from pipeline.round_records import CRITERION_NAMES, HIGHEST_SCORE, LOWEST_SCORE
from schemas.capital_bid import CRITERIA

SHEET = "Scores"
SUBJECT = "Central Cluster capital scoring {day}"
FILENAME = "scoring-sheet.xlsx"
CASE_REF, SETTING, TITLE, REQUESTED, REVIEWERS, TOTAL = (
    "Case ref",
    "Setting",
    "Project title",
    "Amount requested (£)",
    "Reviewers",
    "Total",
)
CRITERION_COLUMNS = tuple(CRITERION_NAMES[c] for c in CRITERIA)
COLUMNS = (CASE_REF, SETTING, TITLE, REQUESTED, REVIEWERS, *CRITERION_COLUMNS, TOTAL)
RANGE = f"a whole number from {LOWEST_SCORE} to {HIGHEST_SCORE}"


@dataclass(frozen=True)
class SheetProblem:
    """One bad cell (row and column header), or a bid with no row at all (row None)."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return f"row {self.row}, column '{self.column}': {self.message}"


class ScoringSheetError(PipelineError):
    """A scoring sheet that cannot be imported: every problem, one line each."""

    def __init__(self, message: str, problems: Sequence[SheetProblem] = ()) -> None:
        super().__init__(f"scoring sheet {message}")
        self.problems = tuple(problems)

    @classmethod
    def of(cls, problems: Sequence[SheetProblem]) -> ScoringSheetError:
        ordered = sorted(
            problems,
            key=lambda p: (p.row is None, p.row or 0, COLUMNS.index(p.column)),
        )
        lines = "".join(f"\n  {p}" for p in ordered)
        return cls(f"has {len(ordered)} problem(s); nothing was imported:{lines}", ordered)
