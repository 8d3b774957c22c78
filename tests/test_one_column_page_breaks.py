"""A one-column "Label: value" table of a Word form exported to PDF, split by a page break,
is read whole: the rest of an answer at the top of the next page belongs to its label.

The forms are built here with python-docx and exported to PDF by LibreOffice; where each page
breaks is checked with poppler's pdftotext, not with the readers' own PDF library.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from test_answer_boundaries import answers

from pipeline.extract.form import extract_form
from pipeline.read import read_document
from schemas import IpnReferral, specs
from testkit.corpus import libreoffice

TITLE = "Individual Pupil Need Referral Form"
HEADER = "Referral details (continued on the next page)"
LABELS = {spec.id: spec.label for spec in specs(IpnReferral)}
PADDINGS = range(0, 24, 2)  # guidance lines above the table: each moves the page break


@pytest.fixture(scope="module", autouse=True)
def needs_tools() -> None:
    if not libreoffice.available() or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(".ci/run must install libreoffice-writer-nogui and poppler-utils")
        pytest.skip("LibreOffice or pdftotext not installed")


def form_docx(
    values: dict[str, str], padding: int, *, below: bool, header: bool, columns: int = 1
) -> docx.Document:
    """One column, one row per question: 'Label: answer' in one paragraph, or (``below``)
    the label's paragraph with the answer's under it in the same cell; or two columns, label
    and answer. ``header``: a first row marked to repeat at the top of each page, as Word's
    "Repeat as header row" does."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    for n in range(padding):
        document.add_paragraph(f"Guidance line {n + 1}.")
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    if header:
        row = table.add_row()
        heading = row.cells[0].merge(row.cells[-1]) if columns > 1 else row.cells[0]
        heading.text = HEADER
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    for field_id, text in values.items():
        cell = table.add_row().cells[0]
        if columns == 2:
            cell.text = LABELS[field_id]
            table.rows[-1].cells[1].text = text
        elif below:
            cell.text = f"{LABELS[field_id]}:"
            cell.add_paragraph(text)
        else:
            cell.text = f"{LABELS[field_id]}: {text}"
    document.add_paragraph()
    return document


def exported(
    folder: Path, values: dict[str, str], *, below: bool, header: bool, columns: int = 1
) -> list[Path]:
    """The form at every padding, exported to PDF by one LibreOffice run."""
    sources = []
    for padding in PADDINGS:
        source = folder / f"form-{padding:02d}.docx"
        form = form_docx(values, padding, below=below, header=header, columns=columns)
        form.save(str(source))
        sources.append(source)
    return libreoffice.convert(sources, "pdf", folder / "pdf")


def page_lines(pdf: Path, page: int) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def split_after(pdf: Path) -> tuple[str, str] | None:
    """The last line of the table on page 1 and the first on page 2 (after a repeated
    header), when a row of the table runs on across the break."""
    first, second = page_lines(pdf, 1), [x for x in page_lines(pdf, 2) if x != HEADER]
    if (
        not first
        or not second
        or any(second[0].startswith(f"{label}:") for label in LABELS.values())
    ):
        return None
    return first[-1], second[0]


def read_whole(pdf: Path, values: dict[str, str]) -> dict[str, str]:
    read = read_document(pdf.read_bytes(), pdf.name, "0" * 64)
    assert read is not None
    document = extract_form(read, IpnReferral)
    return {
        f: " ".join(str(document.fields[f].raw).split()) for f in values if f in document.fields
    }


def breaks(pdfs: list[Path], wanted: str) -> Iterator[Path]:
    """The exports whose page break falls where ``wanted`` says: 'after the label' (page 1
    ends with a label) or 'mid-sentence' (page 1 ends inside an answer's sentence)."""
    for pdf in pdfs:
        split = split_after(pdf)
        if split is None:
            continue
        last = split[0]
        after_label = any(last == f"{label}:" for label in LABELS.values())
        if (wanted == "after the label") == after_label and not last.endswith("."):
            yield pdf


@pytest.fixture(scope="module")
def inline_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return exported(tmp_path_factory.mktemp("inline"), answers(5), below=False, header=False)


@pytest.fixture(scope="module")
def below_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return exported(tmp_path_factory.mktemp("below"), answers(6), below=True, header=False)


@pytest.fixture(scope="module")
def header_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return exported(tmp_path_factory.mktemp("header"), answers(7), below=False, header=True)


@pytest.fixture(scope="module")
def two_column_header_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("two-columns")
    return exported(folder, answers(8), below=False, header=True, columns=2)


def test_every_answer_short_or_long_is_read_whole_wherever_the_page_breaks(
    inline_pdfs: list[Path],
) -> None:
    values = answers(5)

    wrong = {pdf.name: read_whole(pdf, values) for pdf in inline_pdfs}

    assert {name: read for name, read in wrong.items() if read != values} == {}


def test_an_answer_broken_in_the_middle_of_a_sentence_is_read_whole(
    inline_pdfs: list[Path],
) -> None:
    values = answers(5)
    mid_sentence = list(breaks(inline_pdfs, "mid-sentence"))
    assert mid_sentence, "no padding put the page break inside an answer"

    for pdf in mid_sentence:
        assert read_whole(pdf, values) == values, pdf.name


def test_an_answer_whose_page_breaks_right_after_its_label_is_read_whole(
    below_pdfs: list[Path],
) -> None:
    values = answers(6)
    after_label = list(breaks(below_pdfs, "after the label"))
    assert after_label, "no padding put the page break right after a label"

    for pdf in after_label:
        assert read_whole(pdf, values) == values, pdf.name


def test_a_header_row_repeated_on_the_next_page_is_not_read_into_the_answer(
    header_pdfs: list[Path],
) -> None:
    values = answers(7)
    split = [pdf for pdf in header_pdfs if split_after(pdf) is not None]
    assert split and all(HEADER in page_lines(pdf, 2) for pdf in split)

    for pdf in split:
        assert read_whole(pdf, values) == values, pdf.name


def test_a_two_column_answer_split_after_a_repeated_header_row_is_read_whole(
    two_column_header_pdfs: list[Path],
) -> None:
    values = answers(8)
    split = [pdf for pdf in two_column_header_pdfs if HEADER in page_lines(pdf, 2)]
    assert split

    for pdf in split:
        assert read_whole(pdf, values) == values, pdf.name
