"""Word forms as the project's generator never writes them, but Word and the systems that fill
forms in do: answers moved with Track Changes on, custom XML tags round what a
document-assembly system filled in, the form's tables laid out inside an outer frame table,
and a content control round a whole answer cell. A person sees the same form in each; the
run must read the same answers, and no placeholder as one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from outsider import kinds_and_fields, read_as_usual, repackaged, submitted

from pipeline.config import Config

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def with_body(change: Callable[[Any], None]) -> Callable[[bytes], bytes]:
    """A re-save of a .docx whose main document is changed by ``change`` (given its root)."""

    def resave(docx: bytes) -> bytes:
        def rewrite(name: str, part: bytes) -> bytes:
            if name != "word/document.xml":
                return part
            root = etree.fromstring(part)
            change(root)
            return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

        return repackaged(docx, rewrite)

    return resave


def answer_cells(root: Any) -> Iterator[Any]:
    """The answer cell of each two-cell row (label, answer) of the form's tables."""
    for row in list(root.iter(w("tr"))):
        cells = row.findall(w("tc"))
        if len(cells) == 2:
            yield cells[1]


def moved_in(root: Any) -> None:
    """Each answer's first run moved there with Track Changes on: the run is wrapped in a
    w:moveTo, and a copy of it (Word keeps its w:t) stands before it in a w:moveFrom, as
    where it was moved from."""
    for cell in answer_cells(root):
        run = next(cell.iter(w("r")), None)
        if run is None:
            continue
        paragraph, at = run.getparent(), run.getparent().index(run)
        origin = etree.Element(w("moveFrom"), {w("id"): "1", w("author"): "SENCo"})
        origin.append(copy.deepcopy(run))
        destination = etree.Element(w("moveTo"), {w("id"): "2", w("author"): "SENCo"})
        paragraph.remove(run)
        destination.append(run)
        paragraph.insert(at, destination)
        paragraph.insert(at, origin)


def wrapped(element: Any, name: str) -> None:
    """``element`` put inside a w:customXml element in its place."""
    parent, at = element.getparent(), element.getparent().index(element)
    tag = etree.Element(w("customXml"), {w("element"): name})
    parent.remove(element)
    tag.append(element)
    parent.insert(at, tag)


def tagged_blocks(root: Any) -> None:
    body = root.find(w("body"))
    for block in [e for e in body if e.tag in (w("p"), w("tbl"))]:
        wrapped(block, "section")


def tagged_rows(root: Any) -> None:
    for row in list(root.iter(w("tr"))):
        wrapped(row, "question")


def tagged_answers(root: Any) -> None:
    for cell in list(answer_cells(root)):
        wrapped(cell, "answer")


def framed(root: Any) -> None:
    """Each of the form's tables inside the one cell of an outer, bordered frame table."""
    body = root.find(w("body"))
    for table in body.findall(w("tbl")):
        at = body.index(table)
        frame = etree.Element(w("tbl"))
        cell = etree.SubElement(etree.SubElement(frame, w("tr")), w("tc"))
        body.remove(table)
        cell.append(table)
        etree.SubElement(cell, w("p"))  # a cell ends with a paragraph
        body.insert(at, frame)


@pytest.fixture
def as_usual(config: Config, tmp_path: Path) -> list[tuple[str, dict[str, Any]]]:
    return read_as_usual(config, tmp_path / "usual")


def test_answers_moved_with_track_changes_on_are_read_once_where_they_now_stand(
    config: Config, as_usual: list[tuple[str, dict[str, Any]]]
) -> None:
    record = submitted(config, form=with_body(moved_in))

    assert record["status"] == "complete"
    assert kinds_and_fields(record) == as_usual


@pytest.mark.parametrize("tagging", [tagged_blocks, tagged_rows, tagged_answers])
def test_a_form_tagged_with_custom_xml_is_read_as_the_same_form(
    config: Config,
    as_usual: list[tuple[str, dict[str, Any]]],
    tagging: Callable[[Any], None],
) -> None:
    record = submitted(config, form=with_body(tagging))

    assert record["status"] == "complete"
    assert kinds_and_fields(record) == as_usual


def test_a_form_laid_out_inside_an_outer_frame_table_is_read_as_the_same_form(
    config: Config, as_usual: list[tuple[str, dict[str, Any]]]
) -> None:
    record = submitted(config, form=with_body(framed))

    assert record["status"] == "complete"
    assert kinds_and_fields(record) == as_usual


def unfilled_surname(root: Any) -> None:
    """The surname's answer cell inside a content control still showing the placeholder its
    designer wrote (Word: select the cell, insert a plain-text control)."""
    for cell in list(answer_cells(root)):
        label = "".join(cell.getparent().find(w("tc")).itertext()).strip()
        if label != "Surname":
            continue
        for paragraph in cell.findall(w("p")):
            cell.remove(paragraph)
        run = etree.SubElement(etree.SubElement(cell, w("p")), w("r"))
        etree.SubElement(run, w("t")).text = "Surname as on the school roll"
        control = etree.Element(w("sdt"))
        etree.SubElement(etree.SubElement(control, w("sdtPr")), w("showingPlcHdr"))
        row, at = cell.getparent(), cell.getparent().index(cell)
        row.remove(cell)
        etree.SubElement(control, w("sdtContent")).append(cell)
        row.insert(at, control)


def test_an_answer_cell_whose_content_control_shows_its_placeholder_is_missing_not_read(
    config: Config,
) -> None:
    record = submitted(config, form=with_body(unfilled_surname))

    (form, _) = kinds_and_fields(record)
    assert form[0] == "ipn_referral" and "pupil_surname" not in form[1]
    missing = [f["field"] for f in record["findings"] if f["code"] == "missing_field"]
    assert missing == ["pupil_surname"]


def damaged_relationships(docx: bytes) -> bytes:
    """The main document's relationships part cut short (the links to images, headers and
    styles), the document itself intact."""

    def rewrite(name: str, part: bytes) -> bytes:
        return part[: len(part) // 2] if name == "word/_rels/document.xml.rels" else part

    return repackaged(docx, rewrite)


def test_a_form_whose_relationships_part_is_damaged_is_read_from_its_intact_body(
    config: Config, as_usual: list[tuple[str, dict[str, Any]]]
) -> None:
    record = submitted(config, form=damaged_relationships)

    assert record["status"] == "complete"
    assert kinds_and_fields(record) == as_usual
