"""The Word form of every sample request, laid out from the form catalogue.

A title, guidance, then one label|value table per section of ``schemas.FORMS[kind].sections``,
with the labels of :func:`schemas.specs` (never typed here). Values are written the way a UK
school writes them: 03/09/2015, £4,250.00, Yes, 94%; tick-box lists print every option with
its box, yes/no declarations "☒ Yes ☐ No", and a project's costs are a table headed by the
cost line's own labels. A blank field leaves its value cell empty.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx import Document
from docx.shared import Cm, Pt

from schemas import FORMS, CostLine, DocumentKind, FieldSpec, IpnReferral, specs
from schemas.project_referral import COST_LINES
from schemas.types import Kind
from testkit.samples.archive import office_time, restamp
from testkit.samples.request import SampleRequest, Value

SUBTITLE = "Central Cluster – Stoke-on-Trent high needs funding"
GUIDANCE = (
    "Please complete every section and return this form by email to the Central Cluster "
    "mailbox. Requests received after a meeting's cut-off date are taken to the next meeting."
)
DECLARATION = (
    "I confirm that the information given in this form is accurate and that the governing "
    "body supports this request."
)
# The IPN form's own wording: it asks for the provision map and the school's Element 2.
IPN_GUIDANCE = (
    "Please complete every section in full and return this form by email to the Central "
    "Cluster mailbox, together with a costed provision map for the child. Referrals received "
    "after the cut-off date are taken to the following panel meeting."
)
IPN_DECLARATION = (
    "I confirm that the information given is accurate, that the child's parent/carer has agreed "
    "to this referral and to information being shared with the cluster panel, and that the "
    "school will contribute the first £6,000 of additional support (Element 2)."
)


@dataclass(frozen=True)
class Style:
    """What differs between the printed forms: their wording and how yes/no is answered."""

    guidance: str = GUIDANCE
    declaration: str = DECLARATION
    ticked_yes_no: bool = True  # "☒ Yes ☐ No" tick boxes; False: the school types Yes or No


STYLES = {IpnReferral.kind: Style(IPN_GUIDANCE, IPN_DECLARATION, ticked_yes_no=False)}


def render_form(sample: SampleRequest) -> bytes:
    """The sample's Word form, the same bytes every time for the same sample."""
    kind = DocumentKind(sample.kind)
    form = FORMS[kind]
    by_id = {spec.id: spec for spec in specs(form)}
    style = STYLES.get(kind, Style())
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(form.title, level=1)
    document.add_paragraph(SUBTITLE)
    document.add_paragraph(style.guidance)
    for heading, field_ids in form.sections:
        document.add_heading(heading, level=2)
        if "headteacher_signature" in field_ids:
            document.add_paragraph(style.declaration)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for field_id in field_ids:
            if field_id == COST_LINES:
                _cost_rows(table, sample)
            else:
                spec = by_id[field_id]
                _row(table, spec.label, cell_text(sample, spec, style.ticked_yes_no))
    document.add_paragraph()  # as Word does: a document never ends on a table
    data = _saved(document, sample)
    return data[: len(data) // 3] if sample.corrupt_form else data


def _saved(document: Any, sample: SampleRequest) -> bytes:
    properties = document.core_properties
    properties.author = properties.last_modified_by = sample.sender_name
    properties.title = ""
    properties.created = properties.modified = office_time(sample.document_time)
    properties.revision = 1
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return restamp(buffer.getvalue(), sample.document_time)


def _row(table: Any, label: str, text: str) -> None:
    label_cell, value_cell = table.add_row().cells
    label_cell.width, value_cell.width = Cm(6.5), Cm(10.5)
    label_cell.paragraphs[0].add_run(label).bold = True
    value_cell.text = text


def _cost_rows(table: Any, sample: SampleRequest) -> None:
    """The cost table: a bold header row of the cost line's labels, then one row per line."""
    item, cost = (spec.label for spec in specs(CostLine))
    label_cell, value_cell = table.add_row().cells
    label_cell.width, value_cell.width = Cm(6.5), Cm(10.5)
    label_cell.paragraphs[0].add_run(item).bold = True
    value_cell.paragraphs[0].add_run(cost).bold = True
    for name, amount in sample.cost_lines:
        label_cell, value_cell = table.add_row().cells
        label_cell.text, value_cell.text = name, format_value(amount, Kind.money)


def cell_text(sample: SampleRequest, spec: FieldSpec, ticked_yes_no: bool = True) -> str:
    """What the school typed in a field's box."""
    typed = sample.typed_text(spec.id)
    if typed is not None:
        return typed
    value: Value = sample.values.get(spec.id)
    if isinstance(value, tuple):
        if spec.choices:
            return "\n".join(f"{'☒' if c in value else '☐'} {c}" for c in spec.choices)
        return "\n".join(value)
    if isinstance(value, bool) and spec.kind is Kind.yesno and ticked_yes_no:
        return "☒ Yes ☐ No" if value else "☐ Yes ☒ No"
    return format_value(value, spec.kind)


def format_value(value: Value, kind: Kind) -> str:
    """A true value written as a school writes it in a form box."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float) and kind is Kind.money:
        return f"£{value:,.2f}"
    if isinstance(value, int | float) and kind is Kind.percent:
        return f"{value:g}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
