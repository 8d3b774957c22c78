"""The words of a PDF page with their boxes: from its text layer, or read by OCR from a scan.

Redaction needs to know where each word sits, to take it off the page. A page with a text
layer gives its words (pdfium); a page with ink but (almost) no text is a scan, read by
Tesseract on a 300 dpi rendering. Boxes are in points from the page's top-left corner.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.read import tesseract
from pipeline.read.lines import Placed, group_lines

OCR_DPI = 300
MIN_TEXT = 15  # characters a page must have to count as having a text layer
INK = 200  # a pixel darker than this (0-255) is ink


class CannotRead(Exception):
    """A page whose words cannot be found, so it cannot be redacted safely."""


@dataclass(frozen=True)
class PageWords:
    width: float
    height: float
    lines: list[list[Placed]]
    scanned: bool

    @property
    def text(self) -> str:
        return "\n".join(" ".join(w.text for w in line) for line in self.lines)


def page_words(data: bytes, *, ocr: bool = True) -> list[PageWords]:
    """Every page's words, by text layer or (``ocr``) by OCR for a scan; :class:`CannotRead`
    names what went wrong."""
    pages = []
    document = pdfium.PdfDocument(data)
    try:
        for number in range(len(document)):
            page = document[number]
            if page.get_rotation() % 360:
                raise CannotRead("a page is turned on its side, so it could not be redacted safely")
            left, _, right, top = page.get_cropbox()
            words = _text_layer_words(page, left, top)
            width, height = right - left, top - page.get_cropbox()[1]
            if ocr and sum(len(w.text) for w in words) < MIN_TEXT and _has_ink(page):
                pages.append(PageWords(width, height, group_lines(_ocr(page)), True))
            else:
                pages.append(PageWords(width, height, group_lines(words), False))
    finally:
        document.close()
    return pages


def _text_layer_words(page: pdfium.PdfPage, left: float, top: float) -> list[Placed]:
    """Words of the text layer: characters run together until a space or a line break."""
    textpage = page.get_textpage()
    words: list[Placed] = []
    current: list[tuple[str, float, float, float, float]] = []
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
        x0, bottom, x1, upper = textpage.get_charbox(index, loose=True)
        if char.isspace() or char == "\x00" or (x0, x1) == (0, 0):
            _flush(current, words)
            continue
        placed = (char, x0 - left, x1 - left, top - upper, top - bottom)
        if current and not unicodedata.combining(char) and _apart(current[-1], placed):
            _flush(current, words)
        current.append(placed)
    _flush(current, words)
    textpage.close()
    return words


def _apart(
    before: tuple[str, float, float, float, float], char: tuple[str, float, float, float, float]
) -> bool:
    """Two characters not of one word: the second goes back left, drops a line or leaves a gap."""
    height = max(before[4] - before[3], 1.0)
    return (
        char[1] < before[1] - 0.5
        or abs(char[3] - before[3]) > height / 2
        or char[1] - before[2] > height * 0.3
    )


def _flush(chars: list[tuple[str, float, float, float, float]], words: list[Placed]) -> None:
    if chars:
        words.append(
            Placed(
                "".join(c[0] for c in chars),
                min(c[1] for c in chars),
                max(c[2] for c in chars),
                min(c[3] for c in chars),
                max(c[4] for c in chars),
            )
        )
        chars.clear()


def _has_ink(page: pdfium.PdfPage) -> bool:
    image = page.render(scale=0.5).to_pil().convert("L")
    low, _ = image.getextrema()
    return bool(low < INK)


def _ocr(page: pdfium.PdfPage) -> list[Placed]:
    if not tesseract.available():
        raise CannotRead(
            "a page is a scan and Tesseract (OCR) is not installed, so it could not be read "
            "to remove identifying details"
        )
    scale = OCR_DPI / 72
    found = tesseract.words(page.render(scale=scale).to_pil().convert("L"), OCR_DPI)
    words = [
        Placed(
            w.text,
            w.left / scale,
            (w.left + w.width) / scale,
            w.top / scale,
            (w.top + w.height) / scale,
        )
        for w in found
        if w.text.strip()
    ]
    if not words:
        raise CannotRead("no text was found on a page that has ink (a scan that could not be read)")
    return words
