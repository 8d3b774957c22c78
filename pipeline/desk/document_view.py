"""A stored document laid out as the reader saw it, with the place a value came from marked:
the paragraph of a Word form, the table cell, the sheet cell of a workbook, the line of a PDF.
The file is opened in the parser's sandboxed worker, as when it arrived."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.context import Context
from pipeline.desk.page_image import marked_page
from pipeline.errors import PipelineError
from pipeline.models import Cell, ExtractedDocument, ReadDocument
from pipeline.read.pdf_formats import FORMAT_TEXT
from pipeline.read.unreadable import Unreadable

MAX_BLOCKS = 3000  # a long document is cut here; the marked place is always kept


@dataclass(frozen=True)
class Block:
    """A paragraph, or one row of a table."""

    cells: tuple[Cell, ...]
    table: str | None


@dataclass(frozen=True)
class LaidOut:
    filename: str
    sha256: str
    blocks: tuple[Block, ...]
    marked: str
    found: bool
    pdf: bool  # the page can be shown as a picture with the place boxed


def lay_out(ctx: Context, case_ref: str, sha256: str, marked: str) -> LaidOut:
    """The case's document ``sha256``, read again from the store."""
    document = _case_document(ctx, case_ref, sha256)
    try:
        read = ctx.parsers.read(ctx.store.read(sha256), document.filename, sha256)
    except Unreadable as reason:
        raise PipelineError(f"{document.filename} cannot be shown: {reason}") from None
    if read is None:
        raise PipelineError(f"{document.filename} is not a document the desk can lay out")
    blocks = _blocks(read)
    found = any(c.location == marked for b in blocks for c in b.cells)
    pdf = read.format == FORMAT_TEXT
    return LaidOut(document.filename, sha256, tuple(_kept(blocks, marked)), marked, found, pdf)


def page_picture(ctx: Context, case_ref: str, sha256: str, marked: str) -> bytes | None:
    """The PDF page holding ``marked``, the place boxed (see page_image.py)."""
    document = _case_document(ctx, case_ref, sha256)
    if not document.filename.lower().endswith(".pdf"):
        return None
    return marked_page(ctx.store.read(sha256), marked)


def _case_document(ctx: Context, case_ref: str, sha256: str) -> ExtractedDocument:
    for submission in ctx.register.case_submissions(case_ref):
        for document in submission.documents:
            if document.sha256 == sha256:
                return document
    raise PipelineError(f"{case_ref} has no such document")


def _blocks(read: ReadDocument) -> list[Block]:
    blocks = [Block((cell,), None) for cell in read.paragraphs if cell.text.strip()]
    for grid in read.grids:
        blocks += [Block(row, grid.name) for row in grid.rows if any(c.text for c in row)]
    return blocks


def _kept(blocks: list[Block], marked: str) -> list[Block]:
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    at = next((i for i, b in enumerate(blocks) if any(c.location == marked for c in b.cells)), 0)
    start = max(0, at - MAX_BLOCKS // 2)
    return blocks[start : start + MAX_BLOCKS]
