"""What the register keeps after a capital bid is heard, and the counts no form carries.

The capital round's scores (one per bid, from the scoring sheet), each recommended bid's
steps to payment as the seeds list them (completion by August, a quality-assurance visit,
paid invoices, then the release of funds; the evaluation of impact in September), and the
cluster's own counts of the impact measures that no form carries.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pipeline.models import Frozen
from schemas.capital_bid import CRITERIA

CRITERION_NAMES = {criterion: criterion.replace("_", " ").capitalize() for criterion in CRITERIA}
LOWEST_SCORE, HIGHEST_SCORE = 0, 5


class BidScore(Frozen):
    """The panel's scores of one bid against the six criteria, and who scored it."""

    case_ref: str
    meeting: date
    reviewers: str
    scores: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.scores.values())


class CapitalStep(StrEnum):
    """A recommended bid's steps to payment, in the seeds' order."""

    completed = "completed"
    qa_visit = "qa_visit"
    invoices_paid = "invoices_paid"
    funds_released = "funds_released"
    evaluated = "evaluated"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS = {
    CapitalStep.completed: "Project completed",
    CapitalStep.qa_visit: "Quality-assurance visit",
    CapitalStep.invoices_paid: "Paid invoices received",
    CapitalStep.funds_released: "Funds released",
    CapitalStep.evaluated: "Evaluation of impact",
}
BEFORE_RELEASE = (CapitalStep.completed, CapitalStep.qa_visit, CapitalStep.invoices_paid)


class ProgressEntry(Frozen):
    case_ref: str
    step: CapitalStep
    on: date
    note: str = ""
    by: str


class ClusterMeasure(StrEnum):
    """The seeds' impact measures that the admin counts, since no form carries them."""

    isp_moves = "isp_moves"
    special_school_moves = "special_school_moves"
    ehcna_requests = "ehcna_requests"

    @property
    def label(self) -> str:
        return MEASURE_LABELS[self]


MEASURE_LABELS = {
    ClusterMeasure.isp_moves: "Children moving into independent specialist provision (ISP)",
    ClusterMeasure.special_school_moves: "Children moving from mainstream to special school",
    ClusterMeasure.ehcna_requests: "Requests for an EHC needs assessment",
}


class ClusterCount(Frozen):
    measure: ClusterMeasure
    count: int
    on: date
    note: str = ""
    by: str
