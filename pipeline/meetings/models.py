"""What a panel meeting is made of: the cases on its agenda, the reviews due and the money."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from pipeline.meetings.impact.figures import Impact
from pipeline.models import ExtractedDocument, Finding, Frozen, Meeting, RequestType, Status
from pipeline.outcomes import DecisionKind
from pipeline.round_records import BidScore


class Pupil(Frozen):
    """The pupil a case is about. The panel edition shows initials and case reference only."""

    forename: str | None = None
    surname: str | None = None
    date_of_birth: date | None = None
    upn: str | None = None

    @property
    def initials(self) -> str:
        parts = [p for p in (self.forename, self.surname) if p]
        return "".join(word[0].upper() for p in parts for word in p.replace("-", " ").split())


class Deferral(Frozen):
    """The panel put the case off to a later meeting; ``reason`` is the log's Actions."""

    meeting: date
    reason: str
    by: str
    at: datetime


class Award(Frozen):
    """Funding the panel agreed, as a review of it shows it: the decision and the spend."""

    case_ref: str = ""
    decision: DecisionKind
    meeting: date
    amount_agreed: Decimal | None
    review_date: date | None
    amount_spent: Decimal | None = None  # as the review form gives it

    @property
    def left(self) -> Decimal | None:
        if self.amount_agreed is None or self.amount_spent is None:
            return None
        return self.amount_agreed - self.amount_spent


class CaseFile(Frozen):
    """One case as the panel sees it: the latest version of each document, open findings."""

    case_ref: str
    request_type: RequestType | None
    status: Status
    setting: str | None
    received_at: datetime
    meeting: date | None
    amount_requested: Decimal | None
    pupil: Pupil | None = None
    project_title: str | None = None
    documents: tuple[ExtractedDocument, ...]
    findings: tuple[Finding, ...]
    accepted: tuple[Finding, ...] = ()
    deferrals: tuple[Deferral, ...] = ()
    earlier: tuple[ExtractedDocument, ...] = ()  # versions replaced: their spellings are redacted
    award: Award | None = None  # for a review: the funding it reviews
    pupil_funding: tuple[Award, ...] = ()  # agreed earlier for the same pupil
    setting_funding: tuple[Award, ...] = ()  # agreed earlier for the setting's other cases
    interests: tuple[str, ...] = ()  # panel members declaring an interest: "name (role)"


class ReviewDue(Frozen):
    case_ref: str
    setting: str | None
    request_type: RequestType | None
    pupil: Pupil | None
    project_title: str | None
    decided_at: date
    amount_agreed: Decimal
    review_date: date
    amount_spent: Decimal | None = None
    form_received: datetime | None = None
    papers: CaseFile | None = None  # the review form and the award beside it, once it came


class Finance(Frozen):
    """The money on one agenda, against what the cluster has left."""

    revenue_budget: Decimal
    revenue_committed: Decimal  # agreed at earlier meetings
    revenue_requested: Decimal  # asked for on this agenda (IPN, EHC plan exceptional, projects)
    capital_fund: Decimal
    capital_cap_per_setting: Decimal
    capital_committed_by_setting: dict[str, Decimal]
    capital_requested_by_setting: dict[str, Decimal]

    @property
    def revenue_remaining_if_all_agreed(self) -> Decimal:
        return self.revenue_budget - self.revenue_committed - self.revenue_requested

    @property
    def budget_exceeded(self) -> bool:
        return self.revenue_remaining_if_all_agreed < 0


class PreviousAction(Frozen):
    """An action the previous meeting's decision log recorded, and where its case is now."""

    case: CaseFile
    decision: DecisionKind
    action: str
    status: str


class MeetingPack(Frozen):
    """Everything one meeting's bundle and decision log are made from."""

    meeting: Meeting
    starts: str
    ends: str
    venue: str
    cluster: str
    cases: tuple[CaseFile, ...]
    reviews_due: tuple[ReviewDue, ...]
    finance: Finance
    previous: date | None = None  # the meeting before this one
    previous_actions: tuple[PreviousAction, ...] = ()
    capital_scores: dict[str, BidScore] = Field(default_factory=dict)  # by case reference
    impact: Impact | None = None
