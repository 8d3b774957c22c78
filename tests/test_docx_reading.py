"""Reading a Word form by its labels, wherever the value sits, and knowing where it came from."""

from __future__ import annotations

import io

import docx
from docx.oxml import parse_xml

from pipeline.extract.form import extract_form
from pipeline.read.docx import read_docx
from schemas import IpnReferral

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def extracted(document: docx.document.Document) -> dict[str, object]:
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_docx(buffer.getvalue(), "form.docx", "0" * 64)
    return {k: v.value for k, v in extract_form(read, IpnReferral).fields.items()}


def test_value_in_the_cell_right_of_its_label_is_read_with_its_cell() -> None:
    document = docx.Document()
    row = document.add_table(rows=1, cols=2).rows[0].cells
    row[0].text, row[1].text = "Date of birth", "03/09/2015"
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_docx(buffer.getvalue(), "form.docx", "0" * 64)
    found = extract_form(read, IpnReferral).fields["date_of_birth"]
    assert str(found.value) == "2015-09-03"
    assert found.source.location == "table 1, row 1, cell 2"


def test_value_below_its_label_is_read() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Forename", "Surname"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Amy", "O'Neill"
    assert (
        extracted(document).items() >= {"pupil_forename": "Amy", "pupil_surname": "O'Neill"}.items()
    )


def test_four_column_table_of_two_label_value_pairs_is_read() -> None:
    document = docx.Document()
    cells = document.add_table(rows=1, cols=4).rows[0].cells
    for cell, text in zip(cells, ["Forename", "Amy", "Surname", "Jones"], strict=True):
        cell.text = text
    assert (
        extracted(document).items() >= {"pupil_forename": "Amy", "pupil_surname": "Jones"}.items()
    )


def test_label_colon_value_paragraph_is_read_with_trailing_star() -> None:
    document = docx.Document()
    document.add_paragraph("UPN*: A861200005001")
    assert extracted(document)["upn"] == "A861200005001"


def test_headed_narrative_section_is_read_until_the_next_label() -> None:
    document = docx.Document()
    document.add_heading("Summary of needs", 2)
    document.add_paragraph("First paragraph of needs.")
    document.add_paragraph("Second paragraph of needs.")
    document.add_heading("Outcomes sought", 2)
    document.add_paragraph("Outcome text.")
    values = extracted(document)
    assert values["needs_summary"] == "First paragraph of needs.\nSecond paragraph of needs."
    assert values["outcomes_sought"] == "Outcome text."


def test_unfilled_content_control_placeholder_is_empty_not_a_value() -> None:
    document = docx.Document()
    row = document.add_table(rows=1, cols=2).rows[0].cells
    row[0].text = "Parent/carer name"
    row[1]._tc.remove(row[1].paragraphs[0]._p)
    row[1]._tc.append(
        parse_xml(
            f"<w:sdt {W}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:r>"
            "<w:t>Click or tap here to enter text.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        )
    )
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_docx(buffer.getvalue(), "form.docx", "0" * 64)
    found = extract_form(read, IpnReferral).fields["parent_name"]
    assert found.value is None and found.raw == ""


def test_ticked_checkbox_content_control_reads_as_yes() -> None:
    document = docx.Document()
    row = document.add_table(rows=1, cols=2).rows[0].cells
    row[0].text = "Child looked after (CLA)"
    paragraph = row[1].paragraphs[0]._p
    paragraph.append(
        parse_xml(
            f'<w:sdt {W} {W14}><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/></w14:checkbox>'
            "</w:sdtPr><w:sdtContent><w:r><w:t>☒</w:t></w:r></w:sdtContent></w:sdt>"
        )
    )
    paragraph.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve"> Yes</w:t></w:r>'))
    assert extracted(document)["looked_after"] is True


def test_label_matching_ignores_case_punctuation_and_required_marker() -> None:
    document = docx.Document()
    row = document.add_table(rows=1, cols=2).rows[0].cells
    row[0].text, row[1].text = "SENCO EMAIL (required)", "ann@school.sch.uk"
    assert extracted(document)["senco_email"] == "ann@school.sch.uk"
