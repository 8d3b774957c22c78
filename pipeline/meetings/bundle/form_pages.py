"""A case's forms laid out readably, and its provision map as a table with its totals.

Labels come from the form schemas; short values go in a label/value table and narratives
follow as paragraphs under their labels. The panel edition leaves identifying fields out and
passes every value through the case's redaction.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from pipeline.meetings.bundle.edition import View, identifying
from pipeline.meetings.bundle.layout import Mark
from pipeline.meetings.bundle.style import FRAME_WIDTH, facts_table, para, styles, table
from pipeline.meetings.bundle.supporting import is_form
from pipeline.meetings.bundle.values import (
    is_narrative,
    label,
    line_columns,
    printed_order,
    show,
    values_of,
)
from pipeline.meetings.models import CaseFile
from pipeline.models import ExtractedDocument, FieldRead
from pipeline.reports.wording import document_kind, format_money
from schemas import DocumentKind, ProvisionLine
from schemas.types import Kind, Value

PANEL_NOTE = (
    "Panel edition: the pupil's name, date of birth, UPN and the parent or carer's name are "
    "left out, and names in the text are replaced by initials."
)
TOTALS = ("total_cost", "element2_contribution", "amount_requested")
PROVISION_LINE = "provision_line"  # no form of its own: its columns are found among all forms
_NUMERIC = (Kind.money, Kind.int, Kind.number, Kind.percent)


def form_documents(case: CaseFile) -> list[ExtractedDocument]:
    return [d for d in case.documents if is_form(d) and d.kind is not DocumentKind.provision_map]


def provision_documents(case: CaseFile) -> list[ExtractedDocument]:
    return [d for d in case.documents if d.kind is DocumentKind.provision_map]


def forms(case: CaseFile, view: View) -> list[Flowable]:
    """Every form of the case except provision maps, each on a new page."""
    story: list[Flowable] = []
    for number, document in enumerate(form_documents(case)):
        story += [PageBreak(), Mark(f"case:{case.case_ref}:form:{number}")]
        story += form(document, view)
    return story


def form(document: ExtractedDocument, view: View) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [
        para(document_kind(document.kind), s.h1),
        para(view.text(document.filename), s.small),
    ]
    if view.panel and any(identifying(f) for f in document.fields):
        story.append(para(PANEL_NOTE, s.small))
    shown = [f for f in printed_order(document.kind, tuple(document.fields)) if view.shows(f)]
    typed = values_of(document.form)
    values = [(document.fields[f], typed.get(f)) for f in shown]
    short = [v for v in values if not is_narrative(document.kind, *v)]
    story.append(facts_table([_pair(document, v, view) for v in short], 70 * mm))
    for found, value in values:
        if is_narrative(document.kind, found, value):
            heading = label(document.kind, found.field)
            text = show(document.kind, found, value)
            story.append(KeepTogether([para(heading, s.h3), para(view.text(text), s.body)]))
    if document.lines:
        story += [para("Lines", s.h2), _lines_table(document, view)]
    return story


def _pair(
    document: ExtractedDocument, shown: tuple[FieldRead, Value | None], view: View
) -> tuple[str, str]:
    found, value = shown
    return label(document.kind, found.field), view.text(show(document.kind, found, value))


def _lines_table(document: ExtractedDocument, view: View) -> Flowable:
    s = styles()
    columns = list(dict.fromkeys(key for line in document.lines for key in line.fields))
    rows: list[list[Flowable | str]] = [
        [para(label(document.kind, c), s.cell_bold) for c in columns]
    ]
    for line in document.lines:
        typed = values_of(line.values)
        rows.append(
            [
                para(view.text(show(document.kind, line.fields[c], typed.get(c))), s.cell)
                if c in line.fields
                else para("", s.cell)
                for c in columns
            ]
        )
    width = FRAME_WIDTH / max(len(columns), 1)
    return table(rows, [width] * len(columns))


# --- provision maps -----------------------------------------------------------------------------

_LINE_WIDTHS = {
    "area_of_need": 24 * mm,
    "provision": 0.0,
    "staff_role": 18 * mm,
    "group_size": 13 * mm,
    "sessions_per_week": 14 * mm,
    "minutes_per_session": 14 * mm,
    "weeks": 12 * mm,
    "hourly_rate": 15 * mm,
    "annual_cost": 18 * mm,
}


def provision_maps(case: CaseFile, view: View) -> list[Flowable]:
    story: list[Flowable] = []
    for number, document in enumerate(provision_documents(case)):
        story += [PageBreak(), Mark(f"case:{case.case_ref}:provision:{number}")]
        story += provision_map(document, view)
    return story


def provision_map(document: ExtractedDocument, view: View) -> list[Flowable]:
    s = styles()
    shown = [
        f
        for f in printed_order(document.kind, tuple(document.fields))
        if view.shows(f) and f not in TOTALS
    ]
    typed = values_of(document.form)
    header = [_pair(document, (document.fields[f], typed.get(f)), view) for f in shown]
    return [
        para(document_kind(document.kind), s.h1),
        para(view.text(document.filename), s.small),
        facts_table(header, 50 * mm),
        para("Provision", s.h2),
        _provision_lines(document, view),
        para("Totals", s.h2),
        facts_table(_totals(document), 90 * mm),
    ]


def _provision_lines(document: ExtractedDocument, view: View) -> Flowable:
    s = styles()
    columns = list(line_columns())
    rows: list[list[Flowable | str]] = [[para(c.label, s.cell_head) for c in columns]]
    for line in document.lines:
        typed = values_of(line.values)
        rows.append(
            [_line_cell(line.fields.get(c.id), typed.get(c.id), c.kind, view) for c in columns]
        )
    if not document.lines:
        rows.append([para("No provision lines were read.", s.cell)] + [""] * (len(columns) - 1))
    fixed = sum(_LINE_WIDTHS.values())
    widths = [_LINE_WIDTHS[c.id] or FRAME_WIDTH - fixed for c in columns]
    return table(rows, widths)


def _line_cell(found: FieldRead | None, value: Value | None, kind: Kind, view: View) -> Flowable:
    s = styles()
    if found is None:
        return para("", s.cell)
    return para(
        view.text(show(PROVISION_LINE, found, value)), s.cell_right if kind in _NUMERIC else s.cell
    )


def _totals(document: ExtractedDocument) -> list[tuple[str, str]]:
    typed = values_of(document.form)
    rows = [
        (label(document.kind, f), show(document.kind, document.fields[f], typed.get(f)))
        for f in TOTALS
        if f in document.fields
    ]
    costs = [
        line.values.annual_cost
        for line in document.lines
        if isinstance(line.values, ProvisionLine) and line.values.annual_cost is not None
    ]
    if costs:
        total = sum(costs, Decimal(0))
        rows.append(("Sum of the lines' annual costs (calculated)", format_money(total)))
    return rows
