"""The index of cases: one row a case, grouped by agenda item, with the page it starts on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from pipeline.meetings.bundle.agenda import Section
from pipeline.meetings.bundle.edition import View
from pipeline.meetings.bundle.layout import LaterText, Mark, RunningHeader
from pipeline.meetings.bundle.style import (
    FRAME_WIDTH,
    LIGHT,
    header_row,
    linked,
    para,
    styles,
    table,
)
from pipeline.meetings.models import CaseFile
from pipeline.models import Severity
from pipeline.reports.wording import STATUS_NAMES, format_money, request_type

COLUMNS = ("Case ref", "Setting", "Request", "Pupil or project", "Amount", "Status", "Page")
_WIDTHS = (24 * mm, 34 * mm, 30 * mm, 26 * mm, 20 * mm, 24 * mm)
WIDTHS = (*_WIDTHS, FRAME_WIDTH - sum(_WIDTHS))


def index_pages(
    sections: Sequence[Section], views: Mapping[str, View], left_out: Sequence[str]
) -> list[Flowable]:
    """The index; each row's page is drawn once the bundle is laid out (:func:`page_cell`)."""
    s = styles()
    story: list[Flowable] = [
        RunningHeader("Index of cases"),
        PageBreak(),
        Mark("index"),
        para("Index of cases", s.h1),
        _table(sections, views),
    ]
    if left_out:
        story += [para("Originals left out of this bundle", s.h2)]
        story += [para(line, s.body) for line in left_out]
    return story


def _table(sections: Sequence[Section], views: Mapping[str, View]) -> Flowable:
    s = styles()
    rows: list[list[Flowable | str]] = [header_row(COLUMNS)]
    shading: list[tuple[object, ...]] = []
    for section in sections:
        if not section.cases:
            continue
        shading += [
            ("SPAN", (0, len(rows)), (-1, len(rows))),
            ("BACKGROUND", (0, len(rows)), (-1, len(rows)), LIGHT),
        ]
        rows.append([para(section.heading, s.cell_bold), "", "", "", "", "", ""])
        rows += [_row(case, views[case.case_ref]) for case in section.cases]
    if len(rows) == 1:
        rows.append([para("No cases on this agenda.", s.cell), "", "", "", "", "", ""])
    return table(rows, WIDTHS, extra=shading)


def _row(case: CaseFile, view: View) -> list[Flowable | str]:
    s = styles()
    amount = format_money(case.amount_requested) if case.amount_requested is not None else "–"
    target = f"case:{case.case_ref}"
    return [
        linked(case.case_ref, target, s.cell_bold),
        para(view.text(case.setting or "Not known"), s.cell),
        para(request_type(case.request_type), s.cell),
        para(who_short(case, view), s.cell),
        para(amount, s.cell_right),
        para(status_text(case), s.cell),
        page_cell(case.case_ref),
    ]


def page_key(case_ref: str) -> str:
    return f"page:{case_ref}"


def page_cell(case_ref: str) -> Flowable:
    """The page the case starts on, opening it; the number is drawn once the bundle is laid
    out (``render``'s ``later`` gives it for :func:`page_key`)."""
    return LaterText(page_key(case_ref), styles().cell_right, link=f"case:{case_ref}")


def who_short(case: CaseFile, view: View) -> str:
    """Initials in the panel edition; the name in the full one; else the project title."""
    pupil = case.pupil
    if pupil is not None and (pupil.forename or pupil.surname):
        if view.panel:
            return pupil.initials
        return " ".join(p for p in (pupil.forename, pupil.surname) if p)
    return view.text(case.project_title) if case.project_title else "Not given"


def status_text(case: CaseFile) -> str:
    errors = sum(1 for f in case.findings if f.severity is Severity.error)
    name = STATUS_NAMES[case.status]
    return f"{name} ({errors} error{'s' if errors != 1 else ''})" if errors else name
