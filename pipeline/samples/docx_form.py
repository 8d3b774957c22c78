"""The IPN referral as a Word form: a title, guidance, then one label|value table per section.

Labels come from :func:`schemas.specs` (never typed here), values are written the way a UK
school writes them: 03/09/2015, £4,250.00, Yes, 94%. A blank field leaves its value cell empty.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.shared import Cm, Pt

from pipeline.samples.archive import office_time, restamp
from pipeline.samples.case import SampleReferral, Value
from schemas import FieldSpec, IpnReferral, specs
from schemas.types import Kind

SECTIONS = IpnReferral.sections

GUIDANCE = (
    "Please complete every section in full and return this form by email to the Central "
    "Cluster mailbox, together with a costed provision map for the child. Referrals received "
    "after the cut-off date are taken to the following panel meeting."
)
DECLARATION = (
    "I confirm that the information given is accurate, that the child's parent/carer has agreed "
    "to this referral and to information being shared with the cluster panel, and that the "
    "school will contribute the first £6,000 of additional support (Element 2)."
)


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


def render_ipn_docx(referral: SampleReferral) -> bytes:
    """The referral's Word form, the same bytes every time for the same referral."""
    by_id = {spec.id: spec for spec in specs(IpnReferral)}
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(IpnReferral.title, level=1)
    document.add_paragraph("Central Cluster – Stoke-on-Trent high needs funding")
    document.add_paragraph(GUIDANCE)
    for heading, field_ids in SECTIONS:
        document.add_heading(heading, level=2)
        if field_ids[0] == "headteacher_signature":
            document.add_paragraph(DECLARATION)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for field_id in field_ids:
            spec = by_id[field_id]
            label_cell, value_cell = table.add_row().cells
            label_cell.width, value_cell.width = Cm(6.5), Cm(10.5)
            label_cell.paragraphs[0].add_run(spec.label).bold = True
            value_cell.text = _cell_text(referral, spec)
    document.add_paragraph()  # as Word does: a document never ends on a table
    properties = document.core_properties
    properties.author = properties.last_modified_by = referral.sender_name
    properties.title = ""
    properties.created = properties.modified = office_time(referral.document_time)
    properties.revision = 1
    properties.comments = ""
    buffer = io.BytesIO()
    document.save(buffer)
    data = restamp(buffer.getvalue(), referral.document_time)
    return data[: len(data) // 3] if referral.corrupt_form else data


def _cell_text(referral: SampleReferral, spec: FieldSpec) -> str:
    value = referral.form.get(spec.id)
    if spec.id == "setting_name" and value is not None:
        return referral.setting_as_written
    return format_value(value, spec.kind)
