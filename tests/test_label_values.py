"""A value is the school's answer to its label, and nothing else: never the next label's text,
never the guidance printed about the label, and all of an answer that runs on over several
lines or rows.

Forms are built here with python-docx and exported to PDF by LibreOffice, not by the project's
own generators.
"""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import docx
import pytest
from test_answer_boundaries import needs_libreoffice

from pipeline.extract.form import extract_form
from pipeline.models import ExtractedDocument
from pipeline.read import read_document
from pipeline.rules import check_fields
from schemas import IpnReferral, specs
from testkit.corpus import libreoffice
from testkit.samples.people import make_upn

SENTENCE = (
    "The pupil needs structured adult support across the school day to access learning, "
    "regulate emotions and build friendships with peers in class and at play."
)


def label(field_id: str) -> str:
    return next(s.labels[0] for s in specs(IpnReferral) if s.id == field_id)


def answers(upn: str, **blank: str) -> dict[str, str]:
    """A filled-in referral's answers by field id; the fields in ``blank`` given that text."""
    values = {
        "setting_name": "Kingsland CofE Academy",
        "senco_name": "Amina Walker",
        "senco_phone": "01782 234567",
        "headteacher_name": "Peter Brown",
        "pupil_forename": "Ann",
        "pupil_surname": "Smith",
        "date_of_birth": "04/03/2016",
        "upn": upn,
        "parent_name": "Jo Smith",
        "parent_views": "Mrs Smith says Ann is anxious every morning. " + SENTENCE,
        "child_views": "Ann says she likes art. " + SENTENCE,
        "needs_summary": SENTENCE,
        "headteacher_signature": "P Brown",
        "declaration_date": "20/10/2025",
    }
    return {**values, **blank}


def saved(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def form_docx(values: dict[str, str], layout: str, before: Any = None) -> Any:
    """A Word form in one of the layouts schools use; ``before`` adds content above it."""
    document = docx.Document()
    document.add_heading("Individual Pupil Need Referral Form", level=1)
    if before is not None:
        before(document)
    if layout == "para":
        for field_id, text in values.items():
            document.add_paragraph(f"{label(field_id)}: {text}".rstrip())
        return document
    table = document.add_table(rows=0, cols=1 if layout != "table" else 2)
    table.style = "Table Grid"
    for field_id, text in values.items():
        if layout == "table":
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label(field_id), text
        elif layout == "samecell":
            table.add_row().cells[0].text = f"{label(field_id)}: {text}".rstrip()
        else:  # "lines": the label on one line of the cell, the answer on the lines below
            table.add_row().cells[0].text = f"{label(field_id)}\n{text}".rstrip()
    return document


def extracted(data: bytes, name: str) -> ExtractedDocument:
    read = read_document(data, name, "0" * 64)
    assert read is not None
    return extract_form(read, IpnReferral)


def as_file(document: Any, kind: str, folder: Path) -> tuple[bytes, str]:
    """The form as Word saved it, or exported to PDF by LibreOffice."""
    if kind == "docx":
        return saved(document), "referral.docx"
    needs_libreoffice()
    source = folder / "referral.docx"
    document.save(str(source))
    (pdf,) = libreoffice.convert([source], "pdf", folder / "pdf")
    return pdf.read_bytes(), "referral.pdf"


def words(document: ExtractedDocument, field_id: str) -> str:
    found = document.fields.get(field_id)
    return " ".join(str(found.raw).split()) if found is not None and found.raw else ""


# --- 1. a blank answer never takes the next label's text ---------------------------------------
BLANKS = [
    ("headteacher_signature", "parent_views"),
    ("senco_phone",),
    ("parent_name", "parent_views", "child_views"),  # several blank answers in a row
]
LAYOUTS = [
    ("samecell", "docx"),
    ("samecell", "pdf"),
    ("para", "docx"),
    ("para", "pdf"),
    ("lines", "docx"),
]


@pytest.mark.parametrize(("layout", "kind"), LAYOUTS)
@pytest.mark.parametrize("blank", BLANKS, ids="+".join)
def test_a_blank_answer_never_takes_the_text_of_the_next_label(
    layout: str, kind: str, blank: tuple[str, ...], tmp_path: Path
) -> None:
    values = answers(make_upn(random.Random(6)), **dict.fromkeys(blank, ""))
    data, name = as_file(form_docx(values, layout), kind, tmp_path)

    document = extracted(data, name)

    assert {f: words(document, f) for f in blank} == dict.fromkeys(blank, "")
    filled = {f: v for f, v in values.items() if v}
    assert {f: words(document, f) for f in filled} == filled


@pytest.mark.parametrize(("layout", "kind"), LAYOUTS)
def test_a_blank_signature_in_label_value_text_is_flagged_missing(
    layout: str, kind: str, tmp_path: Path
) -> None:
    values = answers(make_upn(random.Random(7)), headteacher_signature="")
    data, name = as_file(form_docx(values, layout), kind, tmp_path)

    document = extracted(data, name)

    codes = {(f.code, f.field) for f in check_fields(document)}
    assert ("signature_missing", "headteacher_signature") in codes


# --- 3. a "Label: value" answer runs on over the lines below it ---------------------------------
@pytest.mark.parametrize("sentences", [2, 6, 20])
def test_a_label_value_paragraph_answer_is_read_with_all_its_lines(
    sentences: int, tmp_path: Path
) -> None:
    long = " ".join([SENTENCE] * sentences)
    values = answers(make_upn(random.Random(8)), parent_views=long, needs_summary=long)
    data, name = as_file(form_docx(values, "para"), "pdf", tmp_path)

    document = extracted(data, name)

    assert {f: words(document, f) for f in values} == values
    codes = {(f.code, f.field) for f in check_fields(document)}
    assert ("short_narrative", "parent_views") not in codes


# --- 2. guidance printed about the labels is not an answer -------------------------------------
GUIDANCE = {
    "case 15": {
        "upn": "The 13-character Unique Pupil Number from your MIS",
        "date_of_birth": "dd/mm/yyyy",
        "headteacher_signature": "Type the headteacher's name or insert a signature image",
    },
    "imperatives": {
        "upn": "Enter the pupil's UPN as shown on the school census",
        "date_of_birth": "DD/MM/YYYY",
        "headteacher_signature": "Please sign or type your name in this box",
    },
}


def guidance_table(notes: dict[str, str]) -> Any:
    def add(document: Any) -> None:
        document.add_paragraph("Guidance for completing this form")
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for field_id, note in notes.items():
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label(field_id), note

    return add


@pytest.mark.parametrize("layout", ["table", "samecell"])
@pytest.mark.parametrize("wording", list(GUIDANCE))
def test_a_guidance_table_above_the_form_gives_no_answers(layout: str, wording: str) -> None:
    values = answers(make_upn(random.Random(15)), headteacher_signature="")
    form = form_docx(values, layout, before=guidance_table(GUIDANCE[wording]))

    document = extracted(saved(form), "referral.docx")

    read = {f: words(document, f) for f in values}
    assert read == values
    codes = {(f.code, f.field) for f in check_fields(document)}
    assert ("signature_missing", "headteacher_signature") in codes


# --- 4. a label merged down over several answer rows -------------------------------------------
VOICES = [
    "Mum: she is worried about mornings and transitions between lessons.",
    "Dad: homework causes arguments every evening and she cries at bedtime most nights.",
    "Gran: she is calmer at weekends when the routine is the same each day.",
]


def merged_label_form(values: dict[str, str], merged: str, rows: list[str]) -> Any:
    """A two-column form whose ``merged`` label cell is merged down over one row per answer."""
    document = docx.Document()
    document.add_heading("Individual Pupil Need Referral Form", level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for field_id, text in values.items():
        if field_id != merged:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label(field_id), text
            continue
        spanned = [table.add_row().cells for _ in rows]
        for cells, answer in zip(spanned, rows, strict=True):
            cells[1].text = answer
        spanned[0][0].merge(spanned[-1][0]).text = label(field_id)
    return document


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("rows", [2, 3])
@pytest.mark.parametrize("merged", ["parent_views", "needs_summary"])
def test_a_label_merged_down_over_several_rows_collects_every_answer_row(
    merged: str, rows: int, kind: str, tmp_path: Path
) -> None:
    values = answers(make_upn(random.Random(13)))
    form = merged_label_form(values, merged, VOICES[:rows])
    data, name = as_file(form, kind, tmp_path)

    document = extracted(data, name)

    values[merged] = " ".join(VOICES[:rows])
    assert {f: words(document, f) for f in values} == values
