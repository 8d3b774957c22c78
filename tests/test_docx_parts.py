"""A Word file is read from its body and the headers its sections show, and nothing else."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.section import WD_SECTION

from pipeline.read import Unreadable, read_document
from pipeline.read.docx import read_docx


def saved(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The same package with one part's bytes replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item))
    return out.getvalue()


def texts(data: bytes) -> list[tuple[str, str]]:
    read = read_docx(data, "form.docx", "0" * 64)
    return [(cell.location, cell.text) for cell in read.paragraphs]


def test_headers_come_per_section_first_page_first_and_a_linked_header_once() -> None:
    document = docx.Document()
    first = document.sections[0]
    first.different_first_page_header_footer = True
    first.first_page_header.paragraphs[0].text = "Cover header"
    first.header.paragraphs[0].text = "Central Cluster referral"
    document.add_paragraph("Section one")
    second = document.add_section(WD_SECTION.NEW_PAGE)
    second.different_first_page_header_footer = False
    document.add_paragraph("Section two")
    third = document.add_section(WD_SECTION.NEW_PAGE)
    third.header.is_linked_to_previous = False
    third.header.paragraphs[0].text = "Appendix header"
    document.add_paragraph("Section three")

    assert texts(saved(document)) == [
        ("header 1, line 1", "Cover header"),
        ("header 1, line 2", "Central Cluster referral"),
        ("header 3, line 3", "Appendix header"),
        ("paragraph 4", "Section one"),
        ("paragraph 5", "Section two"),
        ("paragraph 6", "Section three"),
    ]


def test_a_damaged_styles_part_does_not_keep_the_text_from_being_read() -> None:
    document = docx.Document()
    document.add_paragraph("Pupil forename: Amy")
    damaged = with_part(saved(document), "word/styles.xml", b"<w:styles><broken")

    assert texts(damaged) == [("paragraph 1", "Pupil forename: Amy")]


def test_a_damaged_body_is_unreadable() -> None:
    document = docx.Document()
    document.add_paragraph("Pupil forename: Amy")
    damaged = with_part(saved(document), "word/document.xml", b"<w:document><broken")

    with pytest.raises(Unreadable, match="damaged"):
        read_document(damaged, "form.docx", "0" * 64)


def test_a_word_template_is_refused_as_word_itself_refuses_it() -> None:
    document = docx.Document()
    document.add_paragraph("Pupil forename: Amy")
    data = saved(document)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    template = types.replace(b"document.main+xml", b"template.main+xml")

    with pytest.raises(Unreadable, match="damaged"):
        read_document(with_part(data, "[Content_Types].xml", template), "form.docx", "0" * 64)
