"""A PDF with no text layer (a printed form, signed and scanned) -> lines read by OCR.

Each page's image is brought to a working resolution and straightened
(:mod:`pipeline.read.ocr_image`), read by Tesseract with automatic page segmentation, and its
words put back into the form's lines, each label beside its answer
(:mod:`pipeline.read.ocr_layout`). A page that yields next to nothing is asked which way up
it is, turned, and read again.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from pipeline.read import tesseract
from pipeline.read.ocr_image import page_images, straightened, without_rules
from pipeline.read.ocr_layout import OcrLine, OcrWord, form_lines, page_rows
from pipeline.read.ocr_leftovers import leftover_words, reread_unsure

MAX_OCR_PAGES = 20
FEW_WORDS = 20  # a page of a form reading fewer sure words than this may be on its side
SURE_WORD = 60


def available() -> bool:
    return tesseract.available()


def ocr_pages(data: bytes) -> list[list[OcrLine]]:
    """The lines of each page, with the confidence of each line's answer."""
    pages: list[list[list[OcrWord]]] = []
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        for index, (image, ppi) in enumerate(page_images(data, MAX_OCR_PAGES)):
            path = Path(folder) / f"page-{index + 1}.png"
            upright, words = _read_upright(_prepared(image, ppi), path, ppi)
            piece = path.with_suffix(".piece.png")
            words = reread_unsure(upright, words, ppi, piece)
            words += leftover_words(upright, words, ppi, piece)
            pages.append(page_rows(words))
    return form_lines(pages)


def _read_upright(
    image: Image.Image, path: Path, ppi: int
) -> tuple[Image.Image, list[tesseract.Word]]:
    """The page the right way up, and the words read on it."""
    image.save(path)
    words = tesseract.words(path, ppi)
    if sum(1 for w in words if w.confidence >= SURE_WORD) >= FEW_WORDS:
        return image, words
    turn = tesseract.rotation(path, ppi)
    if not turn:
        return image, words
    turned = _prepared(image.rotate(-turn, expand=True, fillcolor=255), ppi)
    turned.save(path)
    return turned, tesseract.words(path, ppi)


def _prepared(image: Image.Image, ppi: int) -> Image.Image:
    """Straightened first, so that the table's borders are level when they are erased."""
    return without_rules(straightened(image), ppi)


def _lines(words: list[tesseract.Word]) -> list[str]:
    """The text of the lines the words make (for tests of the layout)."""
    return [line.text for line in form_lines([page_rows(words)])[0]]
