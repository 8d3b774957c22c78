"""A sample form as a Word document: a title, guidance, then one label|value table per section.

Labels come from :func:`schemas.specs` (never typed here) and values are written the way a
school writes them (see :func:`pipeline.samples.docx_form.format_value`). Tick-box lists print
every option with its box, yes/no declarations print "☒ Yes ☐ No", and a project's costs are
a table headed by the cost line's own labels, ending with the total.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Cm, Pt

from pipeline.samples.archive import office_time, restamp
from pipeline.samples.docx_form import format_value
from pipeline.samples.forms.case import SampleForm, Value
from schemas import FORMS, CostLine, DocumentKind, FieldSpec, specs
from schemas.project_referral import COST_LINES
from schemas.types import Kind

Sections = tuple[tuple[str, tuple[str, ...]], ...]

GUIDANCE = (
    "Please complete every section and return this form by email to the Central Cluster "
    "mailbox. Requests received after a meeting's cut-off date are taken to the next meeting."
)
DECLARATION = (
    "I confirm that the information given in this form is accurate and that the governing "
    "body supports this request."
)


def render_form_docx(sample: SampleForm, sections: Sections) -> bytes:
    """The sample's Word form, the same bytes every time for the same sample."""
    form = FORMS[DocumentKind(sample.kind)]
    by_id = {spec.id: spec for spec in specs(form)}
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(form.title, level=1)
    document.add_paragraph("Central Cluster – Stoke-on-Trent high needs funding")
    document.add_paragraph(GUIDANCE)
    for heading, field_ids in sections:
        document.add_heading(heading, level=2)
        if "headteacher_signature" in field_ids:
            document.add_paragraph(DECLARATION)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for field_id in field_ids:
            if field_id == COST_LINES:
                _cost_rows(table, sample)
            else:
                _row(table, by_id[field_id].label, cell_text(sample, by_id[field_id]))
    document.add_paragraph()  # as Word does: a document never ends on a table
    properties = document.core_properties
    properties.author = properties.last_modified_by = sample.sender_name
    properties.title = ""
    properties.created = properties.modified = office_time(sample.document_time)
    properties.revision = 1
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return restamp(buffer.getvalue(), sample.document_time)


def _row(table: Any, label: str, text: str, *, bold_value: bool = False) -> None:
    label_cell, value_cell = table.add_row().cells
    label_cell.width, value_cell.width = Cm(6.5), Cm(10.5)
    label_cell.paragraphs[0].add_run(label).bold = True
    value_cell.paragraphs[0].add_run(text).bold = bold_value


def _cost_rows(table: Any, sample: SampleForm) -> None:
    item, cost = (spec.label for spec in specs(CostLine))
    _row(table, item, cost, bold_value=True)
    for name, amount in sample.cost_lines:
        label_cell, value_cell = table.add_row().cells
        label_cell.text, value_cell.text = name, format_value(amount, Kind.money)


def cell_text(sample: SampleForm, spec: FieldSpec) -> str:
    """What the school typed in a field's box."""
    if spec.id in sample.written:
        return sample.written[spec.id]
    value: Value = sample.values.get(spec.id)
    if isinstance(value, tuple):
        if spec.choices:
            return "\n".join(f"{'☒' if c in value else '☐'} {c}" for c in spec.choices)
        return "\n".join(value)
    if isinstance(value, bool) and spec.kind is Kind.yesno:
        return "☒ Yes ☐ No" if value else "☐ Yes ☒ No"
    return format_value(value, spec.kind)
