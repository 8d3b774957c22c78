"""On the agenda page: the previous meeting's actions with where each stands, and the panel's
declarations of interest. On each case summary: earlier funding and declared interests."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from pipeline.meetings.bundle.edition import Edition, view_of
from pipeline.meetings.bundle.style import FRAME_WIDTH, header_row, para, styles, table
from pipeline.meetings.models import Award, CaseFile, MeetingPack
from pipeline.reports.wording import format_date, format_money

NONE_RECORDED = "None recorded"
NOTHING = Decimal(0)


def agenda_background(pack: MeetingPack, edition: Edition) -> list[Flowable]:
    return [*_previous_actions(pack, edition), *_declarations(pack)]


def _previous_actions(pack: MeetingPack, edition: Edition) -> list[Flowable]:
    s = styles()
    when = format_date(pack.previous) if pack.previous else "none: this is the year's first"
    story: list[Flowable] = [para(f"Actions from the previous meeting ({when})", s.h2)]
    if not pack.previous_actions:
        return [*story, para("No actions were recorded in the decision log.", s.body)]
    rows: list[list[Flowable | str]] = [header_row(["Case ref", "Decision", "Action", "Status"])]
    for item in pack.previous_actions:
        view = view_of(edition, item.case)
        rows.append(
            [
                para(item.case.case_ref, s.cell_bold),
                para(item.decision.value, s.cell),
                para(view.text(item.action), s.cell),
                para(item.status, s.cell),
            ]
        )
    widths = (26 * mm, 30 * mm, FRAME_WIDTH - 106 * mm, 50 * mm)
    return [*story, table(rows, widths)]


def _declarations(pack: MeetingPack) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [para("Declarations of interest", s.h2)]
    declared = [
        (case.case_ref, case.setting, name) for case in pack.cases for name in case.interests
    ]
    if not declared:
        return [*story, para("No panel member has declared an interest in a case.", s.body)]
    rows: list[list[Flowable | str]] = [header_row(["Case ref", "Setting", "Panel member"])]
    rows += [
        [para(ref, s.cell_bold), para(setting or "", s.cell), para(name, s.cell)]
        for ref, setting, name in declared
    ]
    note = "A member does not take part in deciding a case from their own setting."
    return [*story, table(rows, (26 * mm, 70 * mm, FRAME_WIDTH - 96 * mm)), para(note, s.small)]


def case_background(case: CaseFile) -> list[tuple[str, str]]:
    """The summary's rows: earlier funding, and who does not decide this case."""
    rows = [
        ("Earlier funding to this pupil", _awards(case.pupil_funding)) if case.pupil else None,
        ("Earlier funding to this setting", _awards(case.setting_funding)),
    ]
    rows += [
        ("Declaration of interest", f"{name} does not take part in deciding this case.")
        for name in case.interests
    ]
    return [row for row in rows if row is not None]


def _awards(awards: Sequence[Award]) -> str:
    if not awards:
        return NONE_RECORDED
    total = sum((a.amount_agreed or NOTHING for a in awards), NOTHING)
    each = "; ".join(
        f"{a.case_ref}: {format_money(a.amount_agreed or NOTHING)} ({a.decision.value.lower()}, "
        f"{format_date(a.meeting)})"
        for a in awards
    )
    return f"{format_money(total)} in all. {each}"
