"""A form laid out label above answer, as paragraphs, whose page breaks between a label and its
answer is read whole, in a PDF with a text layer and in a scan of it; the running header and
the "Page N of M" footer Word repeats on every page are not read into the answers.

The forms are built with python-docx (the header and a footer of Word's PAGE and NUMPAGES
fields), exported to PDF by LibreOffice, scanned by rendering the pages to images; where
each page breaks is checked with poppler's pdftotext.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph
from test_answer_boundaries import answers
from test_one_column_page_breaks import LABELS, page_lines, read_whole

from pipeline.read import ocr
from testkit.corpus import libreoffice
from testkit.corpus.scanned import scanned

TITLE = "Individual Pupil Need Referral Form"
RUNNING_HEADER = "Central Cluster referral: OFFICIAL-SENSITIVE"
PADDINGS = range(0, 24, 3)  # guidance lines above the form: each moves the page breaks


@pytest.fixture(scope="module", autouse=True)
def needs_tools() -> None:
    if not libreoffice.available() or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(".ci/run must install libreoffice-writer-nogui and poppler-utils")
        pytest.skip("LibreOffice or pdftotext not installed")


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) as Word writes it: begin, instruction, result, end."""
    run = paragraph.add_run()._r
    for part in (
        f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>',
        f'<w:instrText {nsdecls("w")} xml:space="preserve"> {code} </w:instrText>',
        f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>',
        f"<w:t {nsdecls('w')}>1</w:t>",
        f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>',
    ):
        run.append(parse_xml(part))


def form_docx(values: dict[str, str], padding: int, *, furniture: bool) -> docx.Document:
    """Each label in its paragraph, its answer in the next; with a running header and a
    'Page N of M' footer when ``furniture``."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    for n in range(padding):
        document.add_paragraph(f"Guidance line {n + 1}.")
    for field_id, text in values.items():
        document.add_paragraph(LABELS[field_id])
        document.add_paragraph(text)
    if furniture:
        section = document.sections[0]
        section.header.paragraphs[0].text = RUNNING_HEADER
        footer = section.footer.paragraphs[0]
        footer.add_run("Page ")
        _field(footer, "PAGE")
        footer.add_run(" of ")
        _field(footer, "NUMPAGES")
    return document


def exported(folder: Path, values: dict[str, str], *, furniture: bool) -> list[Path]:
    sources = []
    for padding in PADDINGS:
        source = folder / f"form-{padding:02d}.docx"
        form_docx(values, padding, furniture=furniture).save(str(source))
        sources.append(source)
    return libreoffice.convert(sources, "pdf", folder / "pdf")


def ends_with_label(pdf: Path) -> bool:
    """Whether page 1's last line of the form (above its footer) is a label."""
    lines = [line for line in page_lines(pdf, 1) if not line.startswith("Page ")]
    return lines[-1] in LABELS.values()


@pytest.fixture(scope="module")
def furnished(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return exported(tmp_path_factory.mktemp("furnished"), answers(11), furniture=True)


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return exported(tmp_path_factory.mktemp("bare"), answers(12), furniture=False)


def test_the_footer_pages_carry_page_numbers_and_the_running_header(
    furnished: list[Path],
) -> None:
    pdf = furnished[0]
    assert "Page 1 of" in " ".join(page_lines(pdf, 1))
    assert page_lines(pdf, 2)[0] == RUNNING_HEADER


def test_every_answer_below_its_label_is_read_whole_wherever_the_page_breaks(
    bare: list[Path],
) -> None:
    values = answers(12)
    wrong = {pdf.name: read_whole(pdf, values) for pdf in bare}
    assert {name: read for name, read in wrong.items() if read != values} == {}


def test_no_answer_takes_the_running_header_or_the_page_footer(furnished: list[Path]) -> None:
    values = answers(11)
    wrong = {pdf.name: read_whole(pdf, values) for pdf in furnished}
    assert {name: read for name, read in wrong.items() if read != values} == {}


def test_an_answer_whose_page_breaks_right_after_its_label_is_read_past_the_footer(
    furnished: list[Path],
) -> None:
    values = answers(11)
    after_label = [pdf for pdf in furnished if ends_with_label(pdf)]
    assert after_label, "no padding put the page break right after a label"
    for pdf in after_label:
        assert read_whole(pdf, values) == values, pdf.name


def test_a_scanned_form_reads_an_answer_across_the_page_break_without_the_footer(
    furnished: list[Path], tmp_path: Path
) -> None:
    if not ocr.available():
        pytest.skip("Tesseract not installed")
    values = answers(11)
    pdf = next(pdf for pdf in furnished if ends_with_label(pdf))
    label = [line for line in page_lines(pdf, 1) if not line.startswith("Page ")][-1]
    field = next(f for f, text in LABELS.items() if text == label and f in values)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scanned(pdf.read_bytes(), 2))

    read = read_whole(scan, values)

    assert read.get(field) == values[field]
    assert [f for f, text in read.items() if "Page" in text or "OFFICIAL" in text] == []
