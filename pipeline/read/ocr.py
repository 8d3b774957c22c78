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
from pipeline.read.lines import GAP_IN_HEIGHTS, Placed, line_text, text_height

DPI = 300
MAX_OCR_PAGES = 20
SURE = 50  # Tesseract's confidence below which a lone punctuation mark is taken for a speck


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
    """Tesseract's own lines, left to right, cleaned of specks.

    Its lines are kept as they are: on a slightly skewed scan the tops of the words drift
    along a line, and short words sit lower, so regrouping them by height splits lines.
    """
    by_line: dict[tuple[int, int, int], list[tesseract.Word]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    lines = []
    for line_words in by_line.values():
        placed = _cleaned(sorted(line_words, key=lambda w: w.left))
        text = line_text(placed).strip()
        if text:
            lines.append(text)
    return lines


def _cleaned(words: list[tesseract.Word]) -> list[Placed]:
    """The words of a line without specks read as punctuation: marks Tesseract is unsure of,
    and marks standing alone across a wide gap (a box's edge beside a label). A lone '|'
    between words is the pronoun I."""
    placed = [Placed(w.text, w.left, w.left + w.width, w.top, w.top + w.height) for w in words]
    height = text_height(placed)
    kept: list[Placed] = []
    for index, word in enumerate(placed):
        speck = not any(ch.isalnum() for ch in word.text) and (
            words[index].confidence < SURE or _isolated(placed, index, height)
        )
        if not speck:
            kept.append(word._replace(text="I") if word.text == "|" else word)
    return kept


def _isolated(placed: list[Placed], index: int, height: float) -> bool:
    """Whether the word stands across a wide gap from both its neighbours (or the line's end)."""
    word = placed[index]
    before = word.x0 - placed[index - 1].x1 if index > 0 else float("inf")
    after = placed[index + 1].x0 - word.x1 if index + 1 < len(placed) else float("inf")
    return min(before, after) > height * GAP_IN_HEIGHTS
