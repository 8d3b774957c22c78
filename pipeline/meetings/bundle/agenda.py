"""The agenda in the seeds' order, and which item each case is heard under."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.meetings.models import CaseFile, MeetingPack
from pipeline.models import RequestType, Status

ITEMS: tuple[tuple[int, str, str], ...] = (
    (1, "Admin and finance", "The revenue budget and the capital round: see the finance page."),
    (2, "Cluster-wide issues", "Raised at the meeting; no papers."),
    (3, "Group-level matters", "Project-based work and capital bids."),
    (4, "Individual cases", "Individual Pupil Need and EHC plan exceptional needs requests."),
    (5, "Reviews due", "Reviews of funding allocated at earlier meetings."),
    (6, "Not ready", "Not counted in the money requested: each has an error to put right."),
)
REVIEWS, NOT_READY = 5, 6

_ITEM_OF: dict[RequestType | None, int] = {
    RequestType.project: 3,
    RequestType.capital: 3,
    RequestType.ipn: 4,
    RequestType.ehcp_exceptional: 4,
    None: 4,
    RequestType.review: 5,
}
_ORDER: tuple[RequestType | None, ...] = (
    RequestType.project,
    RequestType.capital,
    RequestType.ipn,
    RequestType.ehcp_exceptional,
    None,
    RequestType.review,
)


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    cases: tuple[CaseFile, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"


def item_of(case: CaseFile) -> int:
    """A case that cannot go to panel as it is (an open error) is listed as not ready."""
    if case.status is Status.incomplete and case.request_type is not RequestType.review:
        return NOT_READY
    return _ITEM_OF[case.request_type]


def case_sections(pack: MeetingPack) -> list[Section]:
    """Agenda items 3 to 6 with their cases, each in request-type then case-ref order; item 5
    holds the review forms received for the reviews due."""
    papers = [review.papers for review in pack.reviews_due if review.papers is not None]
    everything = [*pack.cases, *papers]
    ordered = sorted(everything, key=lambda c: (_ORDER.index(c.request_type), c.case_ref))
    return [
        Section(number, title, tuple(c for c in ordered if item_of(c) == number))
        for number, title, _ in ITEMS
        if number >= 3
    ]


def agenda_cases(pack: MeetingPack) -> list[CaseFile]:
    """Every case in the order the bundle prints them."""
    return [case for section in case_sections(pack) for case in section.cases]


@dataclass(frozen=True)
class AgendaCounts:
    """What the cover, the agenda and the finance page count, counted once."""

    by_item: dict[int, int]  # cases under items 3, 4 and 6; review forms under item 5
    reviews_due: int
    review_forms: int

    @property
    def for_decision(self) -> int:
        return self.by_item.get(3, 0) + self.by_item.get(4, 0)

    @property
    def not_ready(self) -> int:
        return self.by_item.get(NOT_READY, 0)


def agenda_counts(pack: MeetingPack) -> AgendaCounts:
    sections = case_sections(pack)
    return AgendaCounts(
        by_item={section.number: len(section.cases) for section in sections},
        reviews_due=len(pack.reviews_due),
        review_forms=sum(1 for review in pack.reviews_due if review.papers is not None),
    )
