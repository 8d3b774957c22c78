"""What the panel knows before it decides a case: funding agreed earlier for the pupil and
for the setting, panel members' declarations of interest, and the previous meeting's actions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from pipeline.config import PanelMember
from pipeline.meetings.models import Award, CaseFile, PreviousAction, Pupil
from pipeline.outcomes import Decision
from pipeline.register.lifecycle import StateChange
from pipeline.reports.wording import format_date
from schemas import normalise_label

CaseOf = Callable[[str], CaseFile]


def with_background(
    case: CaseFile, funded: Sequence[tuple[Decision, CaseFile]], panel: Sequence[PanelMember]
) -> CaseFile:
    """The case with its earlier funding and the panel's declarations of interest."""
    others = [(d, c) for d, c in funded if c.case_ref != case.case_ref]
    return case.model_copy(
        update={
            "pupil_funding": tuple(
                _award(d) for d, c in others if _same_pupil(case.pupil, c.pupil)
            ),
            "setting_funding": tuple(
                _award(d) for d, c in others if case.setting and c.setting == case.setting
            ),
            "interests": tuple(
                f"{m.name} ({m.role})" for m in panel if case.setting and m.setting == case.setting
            ),
        }
    )


def previous_meeting(schedule: Sequence[date], day: date) -> date | None:
    before = [d for d in schedule if d < day]
    return before[-1] if before else None


def previous_actions(
    decisions: Sequence[Decision],
    previous: date | None,
    case_of: CaseOf,
    states_of: Callable[[str], list[StateChange]],
) -> tuple[PreviousAction, ...]:
    """Each row of the previous meeting's log with an action, and its case's state now."""
    return tuple(
        PreviousAction(
            case=case_of(d.case_ref),
            decision=d.decision,
            action=d.actions,
            status=_status(states_of(d.case_ref)),
        )
        for d in decisions
        if d.meeting == previous and d.actions.strip()
    )


def _status(states: Sequence[StateChange]) -> str:
    if not states:
        return "Not known"
    last = states[-1]
    where = f" ({format_date(last.meeting)})" if last.meeting else ""
    return f"{last.state.capitalize()}{where}, {format_date(last.at.date())}"


def _award(decision: Decision) -> Award:
    return Award(
        case_ref=decision.case_ref,
        decision=decision.decision,
        meeting=decision.meeting,
        amount_agreed=decision.amount_agreed,
        review_date=decision.review_date,
    )


def _same_pupil(one: Pupil | None, other: Pupil | None) -> bool:
    if one is None or other is None:
        return False
    if one.upn and other.upn:
        return one.upn.replace(" ", "").upper() == other.upn.replace(" ", "").upper()
    names = [normalise_label(f"{p.forename} {p.surname}") for p in (one, other)]
    born = one.date_of_birth
    return names[0] == names[1] and born is not None and born == other.date_of_birth
