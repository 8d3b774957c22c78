"""Word (.docx) -> paragraphs and tables in reading order, each piece with its location.

Reads the XML directly (through python-docx's element tree) so that text in content
controls, legacy form fields, check boxes, text boxes and page headers is seen the way a
person sees it on the page. An unfilled content control's placeholder is read as empty,
whether the control holds a few words, paragraphs, a table's cell or a whole row; text
a tracked change deleted or moved away is not read (Word's final view shows it nowhere); a
table nested in a table's cell (a form laid out inside a bordered frame) is a grid of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docx.oxml.ns import qn

from pipeline.models import Cell, Grid, ReadDocument
from pipeline.read.docx_parts import WordParts

W_P, W_TBL, W_SDT, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_SDTPR, W_SDTCONTENT, W_CUSTOMXML = qn("w:sdtPr"), qn("w:sdtContent"), qn("w:customXml")
W_PLACEHOLDER = qn("w:showingPlcHdr")
W_INSTR, W_DELTEXT, W_FFDATA = qn("w:instrText"), qn("w:delText"), qn("w:ffData")
W_MOVEFROM = qn("w:moveFrom")  # a tracked move's origin: its runs keep w:t, not w:delText
W_CHECKBOX, W_CHECKED, W_DEFAULT, W_VAL = (
    qn("w:checkBox"),
    qn("w:checked"),
    qn("w:default"),
    qn("w:val"),
)
W_VMERGE, W_TCPR, W_GRIDSPAN = qn("w:vMerge"), qn("w:tcPr"), qn("w:gridSpan")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
W14_CHECKBOX = "{http://schemas.microsoft.com/office/word/2010/wordml}checkbox"
SKIPPED = {W_INSTR, W_DELTEXT, W_MOVEFROM, MC_FALLBACK}


def read_docx(data: bytes, filename: str, sha256: str) -> ReadDocument:
    """Page headers first, then the body's paragraphs and tables in reading order.

    A paragraph's ``row`` counts the non-empty paragraphs and tables before it, so a gap
    between two paragraphs' rows means a table stood between them.
    """
    parts = WordParts(data)
    reading = _Reading()
    for section_index, sectPr in enumerate(parts.document.sectPr_lst, start=1):
        for header in parts.section_headers(sectPr):
            reading.add_blocks(header, f"header {section_index}, line")
    reading.add_blocks(parts.document.body, "paragraph")
    return ReadDocument(
        filename=filename,
        sha256=sha256,
        format="docx",
        paragraphs=tuple(reading.paragraphs),
        grids=tuple(reading.grids),
    )


class _Reading:
    """Paragraphs and grids collected so far, numbered as they come."""

    def __init__(self) -> None:
        self.paragraphs: list[Cell] = []
        self.grids: list[Grid] = []
        self.blocks = 0

    def add_blocks(self, parent: Any, where: str) -> None:
        for element in _blocks(parent):
            if element.tag == W_TBL:
                self._add_table(element)
                continue
            text = element_text(element).strip()
            if text:
                self.blocks += 1
                location = f"{where} {len(self.paragraphs) + 1}"
                self.paragraphs.append(Cell(text=text, row=self.blocks, location=location))

    def _add_table(self, table: Any) -> None:
        """The table as a grid, then each table nested in its cells, in the order they come."""
        self.blocks += 1
        nested: list[Any] = []
        self.grids.append(_grid(table, len(self.grids) + 1, nested))
        for inner in nested:
            self._add_table(inner)


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of a body, looking through block-level content controls and
    custom XML (the tags a document-assembly system wraps round what it filled in)."""
    for child in parent.iterchildren():
        if child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None and not _showing_placeholder(child):
                yield from _blocks(content)
        elif child.tag == W_CUSTOMXML:
            yield from _blocks(child)
        elif child.tag in (W_P, W_TBL):
            yield child


def _grid(table: Any, number: int, nested: list[Any]) -> Grid:
    """A Word table: each cell once, ``col`` its first grid column (merged cells span on);
    the tables nested in its cells are added to ``nested``, their text left out of the cell."""
    rows: list[tuple[Cell, ...]] = []
    for row_index, (row, unfilled_row) in enumerate(_children(table, W_TR), start=1):
        cells: list[Cell] = []
        column = 1
        for tc, unfilled in _children(row, W_TC):
            empty = unfilled_row or unfilled or _continues_merge(tc)
            text = "" if empty else _cell_text(tc, nested)
            cells.append(
                Cell(
                    text=text,
                    table=number,
                    row=row_index,
                    col=column,
                    location=f"table {number}, row {row_index}, cell {len(cells) + 1}",
                )
            )
            column += _span(tc)
        rows.append(tuple(cells))
    return Grid(name=f"table {number}", rows=tuple(rows))


def _span(tc: Any) -> int:
    props = tc.find(W_TCPR)
    span = props.find(W_GRIDSPAN) if props is not None else None
    return int(span.get(W_VAL, "1")) if span is not None else 1


def _children(element: Any, tag: str, unfilled: bool = False) -> Iterator[tuple[Any, bool]]:
    """The rows of a table (or cells of a row), each with whether a content control round it
    still shows its placeholder (what it shows is then no answer)."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child, unfilled
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from _children(content, tag, unfilled or _showing_placeholder(child))
        elif child.tag == W_CUSTOMXML:
            yield from _children(child, tag, unfilled)


def _showing_placeholder(sdt: Any) -> bool:
    props = sdt.find(W_SDTPR)
    return props is not None and props.find(W_PLACEHOLDER) is not None


def _continues_merge(tc: Any) -> bool:
    props = tc.find(W_TCPR)
    merge = props.find(W_VMERGE) if props is not None else None
    return merge is not None and merge.get(W_VAL) != "restart"


def element_text(element: Any) -> str:
    """The text a reader sees in an element: placeholders empty, ticked boxes as ☒ or ☐."""
    parts: list[str] = []
    _collect(element, parts)
    return "".join(parts)


def _cell_text(tc: Any, nested: list[Any]) -> str:
    """A table cell's text but for the tables nested in it, which go to ``nested``."""
    parts: list[str] = []
    _collect(tc, parts, nested)
    return "".join(parts).strip()


def _collect(element: Any, parts: list[str], nested: list[Any] | None = None) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == W_TBL and nested is not None:
            nested.append(child)
        elif tag == W_SDT:
            _collect_content_control(child, parts, nested)
        elif tag == W_T:
            parts.append(child.text or "")
        elif tag == W_TAB:
            parts.append("\t")
        elif tag in (W_BR, W_CR):
            parts.append("\n")
        elif tag == W_FFDATA:
            parts.append(_legacy_checkbox(child))
        else:
            _collect(child, parts, nested)
            if tag == W_P:
                parts.append("\n")


def _collect_content_control(sdt: Any, parts: list[str], nested: list[Any] | None) -> None:
    props = sdt.find(W_SDTPR)
    content = sdt.find(W_SDTCONTENT)
    if _showing_placeholder(sdt):
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
        _collect(content, parts, nested)


def _legacy_checkbox(ffdata: Any) -> str:
    box = ffdata.find(W_CHECKBOX)
    if box is None:
        return ""
    state = box.find(W_CHECKED)
    if state is None:
        state = box.find(W_DEFAULT)
    ticked = state is not None and state.get(W_VAL, "1") not in ("0", "false")
    return "☒" if ticked else "☐"
