"""Word (.docx) -> paragraphs and tables in reading order, each piece with its location.

Reads the XML directly (through python-docx's element tree) so that text in content
controls, legacy form fields, check boxes, text boxes and page headers is seen the way a
person sees it on the page. An unfilled content control's placeholder is read as empty.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn

from pipeline.models import Cell, Grid, ReadDocument

W_P, W_TBL, W_SDT, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_SDTPR, W_SDTCONTENT = qn("w:sdtPr"), qn("w:sdtContent")
W_PLACEHOLDER = qn("w:showingPlcHdr")
W_INSTR, W_DELTEXT, W_FFDATA = qn("w:instrText"), qn("w:delText"), qn("w:ffData")
W_CHECKBOX, W_CHECKED, W_DEFAULT, W_VAL = (
    qn("w:checkBox"),
    qn("w:checked"),
    qn("w:default"),
    qn("w:val"),
)
W_VMERGE, W_TCPR = qn("w:vMerge"), qn("w:tcPr")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
W14_CHECKBOX = "{http://schemas.microsoft.com/office/word/2010/wordml}checkbox"
SKIPPED = {W_INSTR, W_DELTEXT, MC_FALLBACK}


def read_docx(data: bytes, filename: str, sha256: str) -> ReadDocument:
    document = docx.Document(io.BytesIO(data))
    paragraphs: list[Cell] = []
    grids: list[Grid] = []
    for section_index, section in enumerate(document.sections):
        for index, paragraph in enumerate(_header_paragraphs(section)):
            paragraphs.append(
                Cell(text=paragraph, location=f"header {section_index + 1}, line {index + 1}")
            )
    for element in _blocks(document.element.body):
        if element.tag == W_P:
            text = element_text(element).strip()
            if text:
                paragraphs.append(Cell(text=text, location=f"paragraph {len(paragraphs) + 1}"))
        elif element.tag == W_TBL:
            grids.append(_grid(element, len(grids) + 1))
    return ReadDocument(
        filename=filename,
        sha256=sha256,
        format="docx",
        paragraphs=tuple(paragraphs),
        grids=tuple(grids),
    )


def _header_paragraphs(section: Any) -> list[str]:
    if section.header.is_linked_to_previous:
        return []
    lines = [element_text(p._p).strip() for p in section.header.paragraphs]
    return [line for line in lines if line]


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body, looking through block-level content controls."""
    for child in parent.iterchildren():
        if child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _blocks(content)
        elif child.tag in (W_P, W_TBL):
            yield child


def _grid(table: Any, number: int) -> Grid:
    rows: list[tuple[Cell, ...]] = []
    for row_index, row in enumerate(_children(table, W_TR), start=1):
        cells = []
        for col_index, tc in enumerate(_row_cells(row), start=1):
            text = "" if _continues_merge(tc) else element_text(tc).strip()
            cells.append(
                Cell(
                    text=text,
                    table=number,
                    row=row_index,
                    col=col_index,
                    location=f"table {number}, row {row_index}, cell {col_index}",
                )
            )
        rows.append(tuple(cells))
    return Grid(name=f"table {number}", rows=tuple(rows))


def _children(element: Any, tag: str) -> Iterator[Any]:
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _children(content, tag)


def _row_cells(row: Any) -> Iterator[Any]:
    yield from _children(row, W_TC)


def _continues_merge(tc: Any) -> bool:
    props = tc.find(W_TCPR)
    merge = props.find(W_VMERGE) if props is not None else None
    return merge is not None and merge.get(W_VAL) != "restart"


def element_text(element: Any) -> str:
    """The text a reader sees in an element: placeholders empty, ticked boxes as ☒ or ☐."""
    parts: list[str] = []
    _collect(element, parts)
    return "".join(parts)


def _collect(element: Any, parts: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == W_SDT:
            _collect_content_control(child, parts)
        elif tag == W_T:
            parts.append(child.text or "")
        elif tag == W_TAB:
            parts.append("\t")
        elif tag in (W_BR, W_CR):
            parts.append("\n")
        elif tag == W_FFDATA:
            parts.append(_legacy_checkbox(child))
        else:
            _collect(child, parts)
            if tag == W_P:
                parts.append("\n")


def _collect_content_control(sdt: Any, parts: list[str]) -> None:
    props = sdt.find(W_SDTPR)
    content = sdt.find(W_SDTCONTENT)
    if props is not None and props.find(W_PLACEHOLDER) is not None:
        return
    checkbox = props.find(W14_CHECKBOX) if props is not None else None
    if checkbox is not None:
        checked = checkbox.find(W14_CHECKBOX.replace("checkbox", "checked"))
        ticked = checked is not None and checked.get(W14_CHECKBOX.replace("checkbox", "val")) in (
            "1",
            "true",
        )
        parts.append("☒" if ticked else "☐")
        return
    if content is not None:
        _collect(content, parts)


def _legacy_checkbox(ffdata: Any) -> str:
    box = ffdata.find(W_CHECKBOX)
    if box is None:
        return ""
    state = box.find(W_CHECKED)
    if state is None:
        state = box.find(W_DEFAULT)
    ticked = state is not None and state.get(W_VAL, "1") not in ("0", "false")
    return "☒" if ticked else "☐"
