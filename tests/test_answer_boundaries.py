"""A value never comes from another row, and an answer split by a page break is read whole.

The Word forms are built here with python-docx (content controls written as Word writes them)
and the PDFs exported by LibreOffice, not by the project's own generators.
"""

from __future__ import annotations

import io
import os
import random
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from pipeline.extract.form import extract_form
from pipeline.models import ExtractedDocument
from pipeline.read import read_document
from pipeline.rules import check_fields
from schemas import IpnReferral, specs
from schemas.types import Kind
from testkit.corpus import libreoffice

HEADING = "Section 4: Needs and provision"
EMPTY = "child_views"
FILLED: dict[str, str] = {
    "setting_name": "Abbey Hulton Primary School",
    "senco_name": "Jo Bloggs",
    "pupil_forename": "Sam",
    "pupil_surname": "Example",
    "needs_summary": "Sam finds transitions hard and needs adult help to settle each morning.",
    "outcomes_sought": "Sam will settle in class within ten minutes on four days out of five.",
}


def empty_control() -> Any:
    """An unfilled plain-text content control showing Word's placeholder."""
    return parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent>"
        "<w:p><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )


def form_with_empty_answer(after: str) -> bytes:
    """Two-column form; the child's views left unfilled, followed by ``after``."""
    document = docx.Document()
    document.add_paragraph("Individual Pupil Need Referral Form")
    table = document.add_table(rows=0, cols=2)
    for field_id in ("setting_name", "senco_name", "pupil_forename", "pupil_surname"):
        _row(table, field_id, FILLED[field_id])
    label, value = table.add_row().cells
    label.text = _label(EMPTY)
    value._tc.remove(value.paragraphs[0]._p)
    value._tc.append(empty_control())
    if after == "heading":
        merged = table.add_row().cells
        merged[0].merge(merged[1]).text = HEADING
    elif after == "merged-title":
        merged = table.add_row().cells
        merged[0].merge(merged[1]).text = "Needs and provision"
    elif after == "heading-unmerged":
        table.add_row().cells[0].text = HEADING
    elif after == "blank-row":
        table.add_row()
    for field_id in ("needs_summary", "outcomes_sought"):
        _row(table, field_id, FILLED[field_id])
    document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _label(field_id: str) -> str:
    return next(s.labels[0] for s in specs(IpnReferral) if s.id == field_id)


def _row(table: Any, field_id: str, text: str) -> None:
    label, value = table.add_row().cells
    label.text = _label(field_id)
    value.text = text


def extracted(data: bytes, name: str) -> ExtractedDocument:
    read = read_document(data, name, "0" * 64)
    assert read is not None
    return extract_form(read, IpnReferral)


def test_an_unfilled_answer_followed_by_a_section_heading_stays_empty() -> None:
    document = extracted(form_with_empty_answer("heading"), "referral.docx")

    codes = {(f.code, f.field) for f in check_fields(document)}
    assert getattr(document.form, EMPTY) is None
    assert ("missing_field", EMPTY) in codes
    assert ("short_narrative", EMPTY) not in codes


AFTER = ["heading", "merged-title", "heading-unmerged", "blank-row", "label"]


@pytest.mark.parametrize("after", AFTER)
def test_an_unfilled_answer_never_takes_the_text_of_the_row_below(after: str) -> None:
    document = extracted(form_with_empty_answer(after), "referral.docx")

    assert getattr(document.form, EMPTY) is None
    assert {f: getattr(document.form, f) for f in FILLED} == FILLED


# --- answers across page breaks ---------------------------------------------------------------
WORDS = ("the", "pupil", "needs", "calm", "adult", "support", "at", "each", "change", "of")


def needs_libreoffice() -> None:
    if not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(".ci/run must install libreoffice-writer-nogui (soffice not found)")
        pytest.skip("LibreOffice not installed")


def answers(seed: int) -> dict[str, str]:
    """A text answer for every text field: narratives of 40 to 160 words, short ones of two."""
    rng = random.Random(seed)
    found: dict[str, str] = {}
    for n, spec in enumerate(specs(IpnReferral)):
        if spec.kind is Kind.longtext:
            words = [rng.choice(WORDS) for _ in range(rng.randint(40, 160))]
            found[spec.id] = " ".join(words).capitalize() + f" (answer {n})."
        elif spec.kind is Kind.text:
            found[spec.id] = f"Answer {n} {rng.choice(WORDS)}"
    return found


def exported_pdf(values: dict[str, str], padding: int, folder: Path) -> bytes:
    """A two-column Word form exported to PDF; ``padding`` lines above move the page breaks."""
    document = docx.Document()
    document.add_paragraph("Individual Pupil Need Referral Form")
    for n in range(padding):
        document.add_paragraph(f"Guidance line {n + 1}.")
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for field_id, text in values.items():
        _row(table, field_id, text)
    document.add_paragraph()
    source = folder / "referral.docx"
    document.save(str(source))
    (pdf,) = libreoffice.convert([source], "pdf", folder / "pdf")
    return pdf.read_bytes()


@pytest.mark.parametrize("padding", [0, 9, 17, 26])
def test_answers_split_by_a_page_break_are_read_whole(padding: int, tmp_path: Path) -> None:
    needs_libreoffice()
    values = answers(padding)
    pdf = exported_pdf(values, padding, tmp_path)

    document = extracted(pdf, "referral.pdf")

    read = {f: " ".join(str(document.fields[f].raw).split()) for f in values}
    assert read == values
