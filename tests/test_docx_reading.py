"""Reading a Word form by its labels, wherever the value sits, and knowing where it came from."""

from __future__ import annotations

import io

import docx
from docx.oxml import parse_xml
from records import located_values

from pipeline.extract.form import extract_form
from pipeline.read.docx import read_docx
from schemas import IpnReferral

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def extracted(document: docx.document.Document) -> dict[str, object]:
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_docx(buffer.getvalue(), "form.docx", "0" * 64)
    return located_values(extract_form(read, IpnReferral))


def test_value_in_the_cell_right_of_its_label_is_read_with_its_cell() -> None:
    document = docx.Document()
    row = document.add_table(rows=1, cols=2).rows[0].cells
    row[0].text, row[1].text = "Date of birth", "03/09/2015"
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_docx(buffer.getvalue(), "form.docx", "0" * 64)
    document = extract_form(read, IpnReferral)
    found = document.fields["date_of_birth"]
    assert document.form_as(IpnReferral) == IpnReferral(date_of_birth="2015-09-03")
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
    document = extract_form(read, IpnReferral)
    found = document.fields["parent_name"]
    form = document.form_as(IpnReferral)
    assert form is not None and form.parent_name is None and found.raw == ""


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


def test_text_box_is_read_once_though_word_stores_it_twice() -> None:
    from testkit.corpus.docx_fields import _text_box

    document = docx.Document()
    document.element.body.insert(0, parse_xml(_text_box("UPN: A861200005001")))
    buffer = io.BytesIO()
    document.save(buffer)
    read = read_docx(buffer.getvalue(), "form.docx", "0" * 64)
    assert [p.text for p in read.paragraphs] == ["UPN: A861200005001"]


def test_page_header_is_read_before_the_body() -> None:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Name of school/setting: Grove Academy"
    document.add_paragraph(IpnReferral.title)
    assert extracted(document)["setting_name"] == "Grove Academy"


def test_value_below_a_label_spanning_merged_columns_is_read() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Section 4"
    label = table.cell(0, 1).merge(table.cell(0, 2))
    label.text = "Parent/carer views"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "They are pleased with the plan."
    table.cell(0, 0).merge(table.cell(1, 0))
    assert extracted(document)["parent_views"] == "They are pleased with the plan."


def test_legacy_form_fields_read_text_and_ticked_boxes() -> None:
    from testkit.corpus.docx_fields import _formcheckbox, _formtext

    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(1, 0).text = "Surname", "Child looked after (CLA)"
    table.cell(2, 0).text = "SENCo telephone"
    for row, content in (
        (0, _formtext("Jones")),
        (
            1,
            _formcheckbox(False)
            + '<w:r><w:t xml:space="preserve"> Yes </w:t></w:r>'
            + _formcheckbox(True)
            + '<w:r><w:t xml:space="preserve"> No</w:t></w:r>',
        ),
        (2, _formtext("")),
    ):
        cell = table.cell(row, 1)
        cell._tc.remove(cell.paragraphs[0]._p)
        cell._tc.append(parse_xml(f"<w:p {W}>{content}</w:p>"))
    values = extracted(document)
    assert values["pupil_surname"] == "Jones"
    assert values["looked_after"] is False
    assert values.get("senco_phone") is None


def test_headed_narrative_stops_where_a_table_follows() -> None:
    document = docx.Document()
    document.add_heading("Outcomes sought", 2)
    document.add_paragraph("Better attendance.")
    row = document.add_table(rows=1, cols=2).rows[0].cells
    row[0].text, row[1].text = "Funding start date", "01/01/2026"
    document.add_paragraph("Signed on behalf of the school.")
    values = extracted(document)
    assert values["outcomes_sought"] == "Better attendance."
