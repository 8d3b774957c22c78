"""The agenda in the seeds' order, and which item each case is heard under."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.meetings.models import CaseFile, MeetingPack
from pipeline.models import RequestType

ITEMS: tuple[tuple[int, str, str], ...] = (
    (1, "Admin and finance", "The revenue budget and the capital round: see the finance page."),
    (2, "Cluster-wide issues", "Raised at the meeting; no papers."),
    (3, "Group-level matters", "Project-based work and capital bids."),
    (4, "Individual cases", "Individual Pupil Need and EHC plan exceptional needs requests."),
    (5, "Reviews due", "Reviews of funding allocated at earlier meetings."),
)

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
    return _ITEM_OF[case.request_type]


def case_sections(pack: MeetingPack) -> list[Section]:
    """Agenda items 3, 4 and 5 with their cases, each in request-type then case-ref order."""
    ordered = sorted(pack.cases, key=lambda c: (_ORDER.index(c.request_type), c.case_ref))
    return [
        Section(number, title, tuple(c for c in ordered if item_of(c) == number))
        for number, title, _ in ITEMS
        if number >= 3
    ]


def agenda_cases(pack: MeetingPack) -> list[CaseFile]:
    """Every case in the order the bundle prints them."""
    return [case for section in case_sections(pack) for case in section.cases]
