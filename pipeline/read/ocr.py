"""A PDF with no text layer (a printed form, signed and scanned) -> lines read by OCR.

Each page's image is brought to a working resolution and straightened
(:mod:`pipeline.read.ocr_image`), read by Tesseract with automatic page segmentation, and its
words put back into the form's lines, each label beside its answer
(:mod:`pipeline.read.ocr_layout`), without the pages' running header and footer
(:mod:`pipeline.read.page_furniture`). A page that yields next to nothing is asked which way up
it is, turned, and read again.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from PIL import Image

from pipeline.read import tesseract
from pipeline.read.ocr_image import PageImage, at_working_resolution, page_images, straightened
from pipeline.read.ocr_layout import OcrLine, OcrWord, form_lines, page_rows, row_text
from pipeline.read.ocr_leftovers import leftover_words, reread_unsure
from pipeline.read.ocr_rules import without_rules
from pipeline.read.page_furniture import furniture
from pipeline.read.pdf_formats import MAX_OCR_PAGES

FEW_WORDS = 20  # a page of a form reading fewer sure words than this may be on its side
SURE_WORD = 60
# A page read upside down or on its side still gives Tesseract "words", a third of them sure
# (it is sure of the letters of "aJOW BAeyY"); an upright page is sure of nearly every word.
SURE_SHARE = 0.6


def available() -> bool:
    return tesseract.available()


def ocr_pages(data: bytes, readers: int | None = None) -> list[list[OcrLine]]:
    """The lines of each page, with the confidence of each line's answer.

    Pages are read side by side, one Tesseract engine each (each on one thread), as many
    at a time as the machine has cores; a page's image is taken from the PDF (one at a time:
    pdfium is not thread-safe) only when a reader is free for it, so no more page images are
    held than there are readers (``readers``, default the cores), and that reader brings it
    to its working resolution, beside the others.
    """
    readers = readers or os.cpu_count() or 1
    free = threading.BoundedSemaphore(readers)
    pages: list[Future[list[tesseract.Word]]] = []
    with ThreadPoolExecutor(readers, thread_name_prefix="ocr") as pool:
        for image in _one_by_one(page_images(data, MAX_OCR_PAGES), free):
            page = pool.submit(_read_page, image)
            page.add_done_callback(lambda _: free.release())
            pages.append(page)
        rows: list[list[list[OcrWord]]] = [page_rows(page.result()) for page in pages]
    return form_lines(_without_furniture(rows))


def _without_furniture(pages: list[list[list[OcrWord]]]) -> list[list[list[OcrWord]]]:
    """The pages' rows without their running header, footer and page numbers."""
    dropped = furniture([[row_text(row) for row in page] for page in pages])
    return [
        [row for n, row in enumerate(page) if n not in gone]
        for page, gone in zip(pages, dropped, strict=True)
    ]


def _one_by_one(
    images: Iterator[PageImage], free: threading.BoundedSemaphore
) -> Iterator[PageImage]:
    """Each page image, rendered once a reader is free to take it."""
    while True:
        free.acquire()
        image = next(images, None)
        if image is None:
            free.release()
            return
        yield image


def _read_page(page: PageImage) -> list[tesseract.Word]:
    """One page's words: read the right way up, then each unsure word and each piece of ink
    the reading left out read again on its own."""
    ppi = page.working
    upright, words = _read_upright(_prepared(at_working_resolution(page), ppi), ppi)
    words = reread_unsure(upright, words, ppi)
    return words + leftover_words(upright, words, ppi)


def _read_upright(image: Image.Image, ppi: int) -> tuple[Image.Image, list[tesseract.Word]]:
    """The page the right way up, and the words read on it: a page read with too few sure
    words is asked which way up it is and, if it is turned, read turned; the reading with
    more sure words is kept (a poor upright page is never made worse by a wrong guess)."""
    words = tesseract.words(image, ppi)
    if _reads_upright(words):
        return image, words
    turn = tesseract.rotation(image, ppi)
    if not turn:
        return image, words
    turned = _prepared(image.rotate(-turn, expand=True, fillcolor=255), ppi)
    turned_words = tesseract.words(turned, ppi)
    if _sure(turned_words) <= _sure(words):
        return image, words
    return turned, turned_words


def _reads_upright(words: list[tesseract.Word]) -> bool:
    sure = _sure(words)
    return sure >= FEW_WORDS and sure >= SURE_SHARE * len(words)


def _sure(words: list[tesseract.Word]) -> int:
    return sum(1 for w in words if w.confidence >= SURE_WORD)


def _prepared(image: Image.Image, ppi: int) -> Image.Image:
    """Straightened first, so that the table's borders are level when they are erased."""
    return without_rules(straightened(image), ppi)


def _lines(words: list[tesseract.Word]) -> list[str]:
    """The text of the lines the words make (for tests of the layout)."""
    return [line.text for line in form_lines([page_rows(words)])[0]]
