"""PDF with a text layer -> its lines as paragraphs and its ruled tables as grids."""

from __future__ import annotations

import io

import pdfplumber

from pipeline.models import Cell, Grid, ReadDocument

MAX_PAGES = 200


def read_pdf(data: bytes, filename: str, sha256: str) -> ReadDocument:
    paragraphs: list[Cell] = []
    grids: list[Grid] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page_number, page in enumerate(pdf.pages[:MAX_PAGES], start=1):
            text = page.extract_text() or ""
            for line_number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    paragraphs.append(
                        Cell(text=line.strip(), location=f"page {page_number}, line {line_number}")
                    )
            for table in page.extract_tables():
                grids.append(_grid(table, page_number, len(grids) + 1))
    return ReadDocument(
        filename=filename,
        sha256=sha256,
        format="pdf",
        paragraphs=tuple(paragraphs),
        grids=tuple(grids),
    )


def _grid(table: list[list[str | None]], page: int, number: int) -> Grid:
    rows = tuple(
        tuple(
            Cell(
                text=(text or "").strip(),
                table=number,
                row=r,
                col=c,
                location=f"page {page}, table {number}, row {r}, cell {c}",
            )
            for c, text in enumerate(row, start=1)
        )
        for r, row in enumerate(table, start=1)
    )
    return Grid(name=f"page {page} table {number}", rows=rows)


def has_text_layer(document: ReadDocument) -> bool:
    return any(p.text for p in document.paragraphs)
