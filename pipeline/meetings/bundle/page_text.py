"""The words of a PDF page with their boxes: from its text layer, or read by OCR from a scan.

Redaction needs to know where each word sits, to take it off the page. A page with a text
layer gives its words (pdfium); a page with ink but (almost) no text is a scan, read by
Tesseract on a 300 dpi rendering. Boxes are in points from the page's top-left corner.
"""

from __future__ import annotations

import ctypes
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.read import tesseract
from pipeline.read.lines import Placed, group_lines

OCR_DPI = 300
# A scanned page takes a second or two; one taking a minute is a page Tesseract is stuck on,
# and the bundle (built in this process, not a sandboxed worker) must not wait on it forever.
OCR_PAGE_LIMIT_SECONDS = 60.0
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
    document = pdfium.PdfDocument(data)
    try:
        return [_page_words(document[number], ocr) for number in range(len(document))]
    finally:
        document.close()


def reread(data: bytes, earlier: list[PageWords], numbers: Collection[int]) -> list[PageWords]:
    """``earlier`` (the words of ``data``'s pages) with the pages ``numbers`` read again from
    their text layers: the pages of a file that were rebuilt, or read by OCR, since."""
    document = pdfium.PdfDocument(data)
    try:
        return [
            _page_words(document[number], ocr=False) if number in numbers else words
            for number, words in enumerate(earlier)
        ]
    finally:
        document.close()


def _page_words(page: pdfium.PdfPage, ocr: bool) -> PageWords:
    if page.get_rotation() % 360:
        raise CannotRead("a page is turned on its side, so it could not be redacted safely")
    left, bottom, right, top = page.get_cropbox()
    words = _text_layer_words(page, left, top)
    width, height = right - left, top - bottom
    if ocr and sum(len(w.text) for w in words) < MIN_TEXT and _has_ink(page):
        return PageWords(width, height, group_lines(_ocr(page)), True)
    return PageWords(width, height, group_lines(words), False)


def _text_layer_words(page: pdfium.PdfPage, left: float, top: float) -> list[Placed]:
    """Words of the text layer: characters run together until a space or a line break."""
    textpage = page.get_textpage()
    try:
        return _words(textpage, left, top)
    finally:
        textpage.close()


def _words(textpage: pdfium.PdfTextPage, left: float, top: float) -> list[Placed]:
    # One pass over the page's characters with the word kept in locals: a page of a report
    # has thousands, and this is most of the time a panel bundle takes to redact.
    unicode_at, box_at = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetLooseCharBox
    raw, rect = textpage.raw, pdfium_c.FS_RECTF()
    box = ctypes.byref(rect)
    words: list[Placed] = []
    word = _Word()
    for index in range(textpage.count_chars()):
        char = chr(unicode_at(raw, index))
        if char.isspace() or char == "\x00":
            word.flush(words)
            continue
        if not box_at(raw, index, box):
            raise CannotRead("the place of a character on a page could not be read")
        x0, x1 = rect.left, rect.right
        if (x0, x1) == (0, 0):
            word.flush(words)
            continue
        placed = (x0 - left, x1 - left, top - rect.top, top - rect.bottom)
        if word.chars and not unicodedata.combining(char) and _apart(word.last, placed):
            word.flush(words)
        word.add(char, placed)
    word.flush(words)
    return words


Box = tuple[float, float, float, float]  # x0, x1, top, bottom


class _Word:
    """The characters of the word being read and the box around them."""

    __slots__ = ("bottom", "chars", "last", "top", "x0", "x1")

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.last: Box = (0.0, 0.0, 0.0, 0.0)
        self.x0 = self.x1 = self.top = self.bottom = 0.0

    def add(self, char: str, placed: Box) -> None:
        x0, x1, top, bottom = placed
        if self.chars:
            self.x0, self.x1 = min(self.x0, x0), max(self.x1, x1)
            self.top, self.bottom = min(self.top, top), max(self.bottom, bottom)
        else:
            self.x0, self.x1, self.top, self.bottom = placed
        self.chars.append(char)
        self.last = placed

    def flush(self, words: list[Placed]) -> None:
        if self.chars:
            words.append(Placed("".join(self.chars), self.x0, self.x1, self.top, self.bottom))
            self.chars = []


def _apart(before: Box, char: Box) -> bool:
    """Two characters not of one word: the second goes back left, drops a line or leaves a gap."""
    height = max(before[3] - before[2], 1.0)
    return (
        char[0] < before[0] - 0.5
        or abs(char[2] - before[2]) > height / 2
        or char[0] - before[1] > height * 0.3
    )


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
    image = page.render(scale=scale).to_pil().convert("L")
    try:
        found = tesseract.words(image, OCR_DPI, limit_seconds=OCR_PAGE_LIMIT_SECONDS)
    except tesseract.TooSlow as slow:
        raise CannotRead(
            f"a scanned page could not be read by OCR in time ({slow}), so it could not be "
            "checked for identifying details"
        ) from slow
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
