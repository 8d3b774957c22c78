"""A case's one-page summary: the request, key facts, every open finding, its documents."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from pipeline.meetings.bundle.agenda import Section
from pipeline.meetings.bundle.background import case_background
from pipeline.meetings.bundle.edition import View, pupil_details, who
from pipeline.meetings.bundle.layout import Mark, RunningHeader
from pipeline.meetings.bundle.style import (
    ERROR,
    FRAME_WIDTH,
    INFO,
    WARNING,
    facts_table,
    header_row,
    para,
    styles,
    table,
)
from pipeline.meetings.bundle.supporting import Supporting, is_form
from pipeline.meetings.bundle.values import case_text, label
from pipeline.meetings.models import CaseFile
from pipeline.models import Finding, RequestType, Severity
from pipeline.reports.wording import (
    NOT_GIVEN,
    SEVERITY_NAMES,
    SEVERITY_ORDER,
    STATUS_NAMES,
    document_kind,
    format_date,
    format_moment,
    format_money,
    request_type,
)

_SHADES = {Severity.error: ERROR, Severity.warning: WARNING, Severity.info: INFO}
PUPIL_FACTS = (
    "year_group",
    "sen_status",
    "primary_need",
    "secondary_need",
    "looked_after",
    "attendance_percent",
    "suspensions_this_year",
    "at_risk_of_exclusion",
)
FACTS: dict[RequestType | None, tuple[str, ...]] = {
    RequestType.ipn: PUPIL_FACTS,
    RequestType.ehcp_exceptional: (*PUPIL_FACTS, "ehcp_date", "current_topup"),
    RequestType.project: ("partner_settings", "pupils_benefiting"),
    RequestType.capital: (
        "improvement_types",
        "total_project_cost",
        "pupils_benefiting",
        "ehcp_pupils_benefiting",
        "quotes_obtained",
        "expected_completion",
    ),
    RequestType.review: (
        "date_allocated",
        "amount_allocated",
        "amount_spent",
        "recommendation",
        "attendance_before",
        "attendance_after",
        "suspensions_before",
        "suspensions_after",
    ),
    None: PUPIL_FACTS,
}
# Printed even when not given: the panel asks about them for every pupil.
ALWAYS_SHOWN = frozenset(
    {"year_group", "sen_status", "primary_need", "attendance_percent", "suspensions_this_year"}
)
PERIODS = (("funding_start", "funding_end"), ("project_start", "project_end"))


def summary(
    case: CaseFile, view: View, section: Section, supporting: Sequence[Supporting]
) -> list[Flowable]:
    s = styles()
    ref = case.case_ref
    return [
        RunningHeader(f"{ref} · {request_type(case.request_type)}"),
        PageBreak(),
        Mark(f"case:{ref}"),
        para(f"{ref}: case summary", s.h1),
        para(f"Agenda item {section.heading} · {who(case, view)}", s.subtitle),
        facts_table(key_facts(case, view)),
        para("Open findings", s.h2),
        findings_table(case.findings, view),
        *accepted(case.accepted, view),
        para("Documents", s.h2),
        documents_table(case, view, supporting),
    ]


def key_facts(case: CaseFile, view: View) -> list[tuple[str, str]]:
    amount = format_money(case.amount_requested) if case.amount_requested is not None else NOT_GIVEN
    facts = [
        ("Case reference", case.case_ref),
        ("Request", request_type(case.request_type)),
        ("Amount requested", amount),
        ("Setting", view.text(case.setting or "Not known")),
        ("Pupil" if case.pupil else "Project", who(case, view)),
        *pupil_details(case, view),
        ("Received", format_moment(case.received_at)),
        ("Status", STATUS_NAMES[case.status]),
        *_deferred(case, view),
        *_award(case),
        *case_background(case),
    ]
    for field_id in FACTS[case.request_type]:
        text = case_text(case, field_id)
        if field_id in ALWAYS_SHOWN or text != NOT_GIVEN:
            facts.append((label(None, field_id), view.text(text)))
    facts += _period(case)
    return facts


def _deferred(case: CaseFile, view: View) -> list[tuple[str, str]]:
    return [
        (
            "Deferred",
            f"At the meeting on {format_date(d.meeting)}: "
            f"{view.text(d.reason) if d.reason else 'no reason recorded'} "
            f"(recorded by {d.by} on {format_date(d.at.date())})",
        )
        for d in case.deferrals
    ]


def _award(case: CaseFile) -> list[tuple[str, str]]:
    """For a review: the funding it reviews, and how much of it is spent."""
    award = case.award
    if award is None:
        return []
    agreed = format_money(award.amount_agreed) if award.amount_agreed is not None else NOT_GIVEN
    spent = format_money(award.amount_spent) if award.amount_spent is not None else NOT_GIVEN
    left = format_money(award.left) if award.left is not None else NOT_GIVEN
    return [
        (
            "Original award",
            f"{award.decision.value} at the meeting on {format_date(award.meeting)}: {agreed}"
            f" (review by {format_date(award.review_date)})",
        ),
        ("Spent to date (review form)", spent),
        ("Not yet spent", left),
    ]


def _period(case: CaseFile) -> list[tuple[str, str]]:
    for start, end in PERIODS:
        first, last = case_text(case, start), case_text(case, end)
        if (first, last) != (NOT_GIVEN, NOT_GIVEN):
            label = "Funding period" if start.startswith("funding") else "Project period"
            return [(label, f"{first} to {last}")]
    if case.request_type in (RequestType.ipn, RequestType.ehcp_exceptional):
        return [("Funding period", NOT_GIVEN)]
    return []


def findings_table(findings: Sequence[Finding], view: View) -> Flowable:
    s = styles()
    if not findings:
        return para("None: nothing stops this case going to panel.", s.body)
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER.index(f.severity))
    rows: list[list[Flowable | str]] = [header_row(["Severity", "Finding", "Where"])]
    shading: list[tuple[object, ...]] = []
    for number, item in enumerate(ordered, start=1):
        rows.append(
            [
                para(f"{SEVERITY_NAMES[item.severity]}\n{item.code}", s.cell_bold),
                para(view.text(item.message), s.cell),
                para(view.text(_where(item)), s.cell),
            ]
        )
        shading.append(("BACKGROUND", (0, number), (0, number), _SHADES[item.severity]))
    return table(rows, (32 * mm, FRAME_WIDTH - 77 * mm, 45 * mm), extra=shading)


def _where(item: Finding) -> str:
    parts = [item.document or "", label(None, item.field) if item.field else ""]
    return "\n".join(p for p in parts if p) or "The case"


def accepted(findings: Sequence[Finding], view: View) -> list[Flowable]:
    s = styles()
    if not findings:
        return []
    story: list[Flowable] = [para("Findings accepted by the cluster admin", s.h3)]
    story += [para(f"Accepted: {f.code}: {view.text(f.message)}", s.small) for f in findings]
    return story


def documents_table(case: CaseFile, view: View, supporting: Sequence[Supporting]) -> Flowable:
    s = styles()
    rows: list[list[Flowable | str]] = [header_row(["Document", "Kind", "In this bundle"])]
    for document in case.documents:
        if is_form(document):
            rows.append(
                [
                    para(view.text(document.filename), s.cell),
                    para(document_kind(document.kind), s.cell),
                    para("Laid out in the case papers that follow.", s.cell),
                ]
            )
    for item in supporting:
        rows.append(
            [
                para(view.text(item.document.filename), s.cell),
                para(document_kind(item.document.kind), s.cell),
                para(item.note, s.cell),
            ]
        )
    if len(rows) == 1:
        rows.append([para("No documents.", s.cell), "", ""])
    return table(rows, (60 * mm, 40 * mm, FRAME_WIDTH - 100 * mm))
