"""The tracker's "Capital" and "Impact" sheets: the round's bids with their scores, decisions
and steps to payment, and the impact measures as they stand today (the bundle's figures)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from pipeline.context import Context
from pipeline.meetings.impact.figures import Impact
from pipeline.meetings.impact.for_meeting import meeting_impact
from pipeline.meetings.pack import case_file, cases_heard_at
from pipeline.models import RequestType
from pipeline.round_records import CapitalStep
from pipeline.rules.cutoff import meetings

if TYPE_CHECKING:
    from pipeline.meetings.impact.for_meeting import Inputs


class ExtraSheet(NamedTuple):
    name: str
    columns: tuple[tuple[str, int, bool], ...]
    rows: list[list[Any]]


CAPITAL_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Case ref", 15, False),
    ("Setting", 32, False),
    ("Project title", 32, False),
    ("Meeting", 12, False),
    ("Amount requested (£)", 14, False),
    ("Score (of 30)", 10, False),
    ("Decision", 20, False),
    ("Amount agreed (£)", 14, False),
    *((step.label, 14, False) for step in CapitalStep),
    ("Evaluation", 60, True),
)
IMPACT_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Meeting", 12, False),
    ("Measure", 70, True),
    ("This meeting", 14, False),
    ("Year to date", 14, False),
)


def tracker_sheets(ctx: Context, inputs: Inputs) -> list[ExtraSheet]:
    """The capital sheet, and the impact figures of every configured meeting, as its bundle
    shows them: its cases are those it heard, deferred ones included (``inputs``: the impact
    tables of every submission the reports read)."""
    impact: list[list[Any]] = []
    for meeting in meetings(ctx.config.meetings):
        heard = cases_heard_at(ctx, meeting.day)
        impact += impact_rows(meeting.day, meeting_impact(ctx, meeting.day, heard, inputs))
    return [
        ExtraSheet("Capital", CAPITAL_COLUMNS, capital_rows(ctx)),
        ExtraSheet("Impact", IMPACT_COLUMNS, impact),
    ]


def capital_rows(ctx: Context) -> list[list[Any]]:
    refs = dict.fromkeys(
        s.case_ref for s in ctx.register.submissions(RequestType.capital) if s.case_ref
    )
    rows = []
    for ref in refs:
        case = case_file(ctx, str(ref))
        score = ctx.register.bid_score(case.case_ref)
        decision = ctx.register.decision(case.case_ref)
        steps = {entry.step: entry for entry in ctx.register.progress(case.case_ref)}
        evaluated = steps.get(CapitalStep.evaluated)
        rows.append(
            [
                case.case_ref,
                case.setting or "",
                case.project_title or "",
                case.meeting,
                case.amount_requested,
                score.total if score else None,
                decision.decision.value if decision else None,
                decision.amount_agreed if decision else None,
                *(steps[step].on if step in steps else None for step in CapitalStep),
                evaluated.note if evaluated else "",
            ]
        )
    return rows


def impact_rows(day: date, impact: Impact) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [day, m.label, m.this_meeting, m.year_to_date] for m in impact.measures
    ]
    for case in impact.reviewed:
        ref = case.case_ref
        rows.append(
            [day, f"{ref}: attendance change since referral (points)", None, case.attendance_change]
        )
        rows.append(
            [day, f"{ref}: suspensions change since referral", None, case.suspensions_change]
        )
    return rows
