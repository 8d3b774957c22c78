"""PDF -> its lines as paragraphs, its ruled tables and form fields as grids.

Three kinds arrive: a form exported from Word (a text layer: lines and ruled tables, read
without the running header and footer of its pages), a
fillable form (AcroForm fields, read by name and tooltip), and a printed form signed and
scanned (no text layer: read by OCR when Tesseract is installed). The format says which:
``pdf``, ``pdf-ocr`` (fields read by OCR) or ``pdf-scanned-no-ocr`` (nothing could be read).
A PDF encrypted with an empty password opens; one needing a password is ``Unreadable``.
"""

from __future__ import annotations

import io
import time
from typing import Any

import pdfplumber
from pypdf import PdfReader, PdfWriter

from pipeline.models import Cell, Grid, ReadDocument
from pipeline.read import ocr
from pipeline.read.acroform import form_grids
from pipeline.read.lines import Placed, group_lines, line_text, unwrapped
from pipeline.read.page_furniture import without_furniture
from pipeline.read.pdf_formats import FORMAT_NO_OCR, FORMAT_OCR, FORMAT_TEXT, MAX_OCR_PAGES
from pipeline.read.pdf_triage import may_be_form, plain_lines, supporting_paragraphs
from pipeline.read.unreadable import PASSWORD_PROTECTED_PDF, Unreadable

MAX_PAGES = 200


def read_pdf(data: bytes, filename: str, sha256: str) -> ReadDocument:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        data, reader = _decrypted(reader)
    fields = form_grids(reader)
    if not fields:
        pages = plain_lines(data, MAX_PAGES)
        if any(pages) and not may_be_form(pages):  # a supporting document: no layout needed
            paragraphs = supporting_paragraphs(pages)
            return ReadDocument(
                filename=filename, sha256=sha256, format=FORMAT_TEXT, paragraphs=tuple(paragraphs)
            )
    paragraphs, grids = _text_layer(data)
    form, started, unread = FORMAT_TEXT, time.perf_counter(), 0
    if not paragraphs and not fields:
        paragraphs, form = _scanned(data)
        unread = max(0, len(reader.pages) - MAX_OCR_PAGES) if form == FORMAT_OCR else 0
    return ReadDocument(
        filename=filename,
        sha256=sha256,
        format=form,
        paragraphs=tuple(paragraphs),
        grids=tuple(fields + grids),
        ocr_seconds=time.perf_counter() - started if form == FORMAT_OCR else 0.0,
        pages_unread=unread,
    )


def _decrypted(reader: PdfReader) -> tuple[bytes, PdfReader]:
    """A PDF encrypted with an empty user password, opened; any other is unreadable."""
    try:
        opened = bool(reader.decrypt(""))
    except Exception:  # an unsupported algorithm: as good as a password
        opened = False
    if not opened:
        raise Unreadable(PASSWORD_PROTECTED_PDF)
    buffer = io.BytesIO()
    PdfWriter(clone_from=reader).write(buffer)
    plain = buffer.getvalue()
    return plain, PdfReader(io.BytesIO(plain))


def _text_layer(data: bytes) -> tuple[list[Cell], list[Grid]]:
    paragraphs: list[Cell] = []
    grids: list[Grid] = []
    pages: list[list[str]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page_number, page in enumerate(pdf.pages[:MAX_PAGES], start=1):
            pages.append(_page_lines(page))
            for n, table in enumerate(page.extract_tables()):
                grid = _grid(table, page_number, len(grids) + 1)
                if n == 0 and grids and _continues(grid):
                    grids[-1], grid = _joined(grids[-1], grid)
                if grid.rows:
                    grids.append(grid)
    for page_number, lines in enumerate(without_furniture(pages), start=1):
        paragraphs.extend(_paragraphs(lines, page_number, len(paragraphs)))
    return paragraphs, grids


def _continues(grid: Grid) -> bool:
    """Whether a page's first table opens with the rest of a row the page break split: an
    empty label cell beside text (a row Word let break across pages)."""
    first = grid.rows[0] if grid.rows else ()
    no_label = bool(first) and (first[0].col > 1 or not first[0].text)
    return no_label and any(cell.text for cell in first)


def _joined(before: Grid, after: Grid) -> tuple[Grid, Grid]:
    """The split row's two halves put back together in the previous page's table."""
    last, rest = before.rows[-1], after.rows[0]
    more = {cell.col: cell.text for cell in rest}
    whole = tuple(
        cell.model_copy(update={"text": unwrapped(f"{cell.text}\n{more.get(cell.col, '')}")})
        for cell in last
    )
    return (
        before.model_copy(update={"rows": (*before.rows[:-1], whole)}),
        after.model_copy(update={"rows": after.rows[1:]}),
    )


def _page_lines(page: Any) -> list[str]:
    words = page.extract_words()
    placed = [Placed(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words]
    texts = [line_text(line).strip() for line in group_lines(placed)]
    return [t for t in texts if t]


def _paragraphs(lines: list[str], page_number: int, before: int) -> list[Cell]:
    return [
        Cell(text=text, row=before + n, location=f"page {page_number}, line {n}")
        for n, text in enumerate(lines, start=1)
    ]


def _scanned(data: bytes) -> tuple[list[Cell], str]:
    """The lines OCR reads on a page image, or none (and the format saying so)."""
    if not ocr.available():
        return [], FORMAT_NO_OCR
    paragraphs: list[Cell] = []
    for page_number, lines in enumerate(ocr.ocr_pages(data), start=1):
        cells = _paragraphs([line.text for line in lines], page_number, len(paragraphs))
        paragraphs += [
            cell.model_copy(update={"confidence": line.confidence})
            for cell, line in zip(cells, lines, strict=True)
        ]
    return paragraphs, FORMAT_OCR


def _grid(table: list[list[str | None]], page: int, number: int) -> Grid:
    rows = tuple(
        tuple(
            Cell(
                text=unwrapped(text),
                table=number,
                row=r,
                col=c,
                location=f"page {page}, table {number}, row {r}, cell {c}",
            )
            for c, text in enumerate(row, start=1)
            if text is not None  # None: covered by a merged cell to its left or above
        )
        for r, row in enumerate(table, start=1)
    )
    return Grid(name=f"page {page} table {number}", rows=rows, page=page)
