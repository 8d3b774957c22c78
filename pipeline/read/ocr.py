"""A PDF with no text layer (a printed form, signed and scanned) -> lines read by OCR.

Each page is rendered at 300 dpi with pypdfium2 and read by Tesseract; its words are put
back into lines, a wide gap between words kept as a tab (see :mod:`pipeline.read.lines`).
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pypdfium2 as pdfium

from pipeline.read import tesseract
from pipeline.read.lines import Placed, group_lines, line_text

DPI = 300
MAX_OCR_PAGES = 20


def available() -> bool:
    return tesseract.available()


def ocr_pages(data: bytes) -> list[list[str]]:
    """The text lines of each page, as Tesseract reads them."""
    pages: list[list[str]] = []
    document = pdfium.PdfDocument(io.BytesIO(data))
    try:
        with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
            for index in range(min(len(document), MAX_OCR_PAGES)):
                image = Path(folder) / f"page-{index + 1}.png"
                document[index].render(scale=DPI / 72).to_pil().convert("L").save(image)
                pages.append(_lines(tesseract.words(image)))
    finally:
        document.close()
    return pages


def _lines(words: list[tesseract.Word]) -> list[str]:
    by_line: dict[tuple[int, int, int], list[Placed]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(
            Placed(word.text, word.left, word.left + word.width, word.top, word.top + word.height)
        )
    lines = []
    for placed in by_line.values():
        for line in group_lines(placed):
            text = line_text(line).strip()
            if text:
                lines.append(text)
    return lines
