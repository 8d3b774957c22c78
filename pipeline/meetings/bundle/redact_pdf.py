"""A supporting PDF for the panel edition, with the case's identifiers taken off its pages.

Each page's words are found (text layer, or OCR for a scan) and the case's identity is
searched in the page's text. A page with nothing to remove is kept as it is. A page with
something to remove is rendered to a picture, each removed word is painted over with a white
box carrying its replacement (initials or "[date of birth]"), and the page is rebuilt from the
picture with an invisible text layer of the remaining words, so it stays searchable and the
removed text is nowhere in the file. The result is read back and searched again; a document
that still shows an identifier, or whose pages cannot be read, is withheld instead.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from pipeline.meetings.bundle.page_text import CannotRead, PageWords, page_words, reread
from pipeline.meetings.redaction import Identity, Span
from pipeline.read.lines import Placed

SCALE = 2.0  # the redacted page's picture: 144 dpi
PAD = 1.5  # points of white around a removed word
FONT = "Helvetica"


class Withheld(Exception):
    """The document cannot be redacted safely; the message says why, for its index line."""


@dataclass(frozen=True)
class Redacted:
    data: bytes
    pages_changed: int


@dataclass(frozen=True)
class Patch:
    """A box on the page to paint white, and the text to print in it."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    words: tuple[Placed, ...]


def redact_pdf(data: bytes, identity: Identity) -> Redacted:
    try:
        pages = page_words(data)
    except CannotRead as problem:
        raise Withheld(str(problem)) from problem
    patches = [_patches(page, identity) for page in pages]
    if not any(patches):
        return Redacted(data, 0)
    out = _rebuilt(data, pages, patches)
    # Pages copied as they were read as before; the rebuilt ones, and scans (read by OCR
    # before, by their text layer now), are read again.
    changed = {n for n, (page, found) in enumerate(zip(pages, patches, strict=True)) if found}
    changed |= {n for n, page in enumerate(pages) if page.scanned}
    if identity.spans("\n".join(p.text for p in reread(out, pages, changed))):
        raise Withheld("identifying details were still found after redaction")
    return Redacted(out, sum(1 for p in patches if p))


def _patches(page: PageWords, identity: Identity) -> list[Patch]:
    """The boxes to paint over on one page, line by line, with their replacement text."""
    text = page.text
    spans = identity.spans(text)
    if not spans:
        return []
    patches: list[Patch] = []
    position = 0
    for line in page.lines:
        hits: list[tuple[Placed, str]] = []
        for word in line:
            start, end = position, position + len(word.text)
            position = end + 1
            if any(s.start < end and s.end > start for s in spans):
                hits.append((word, _redacted_word(text, start, end, spans)))
        patches += _grouped(line, hits)
    return patches


def _redacted_word(text: str, start: int, end: int, spans: list[Span]) -> str:
    """What remains of the word: its own kept characters and replacements starting in it."""
    out, at = [], start
    for span in spans:
        if span.end <= start or span.start >= end:
            continue
        if span.start >= at:
            out.append(text[at : span.start])
        if start <= span.start:
            out.append(span.replacement)
        at = max(at, span.end)
    out.append(text[at:end] if at < end else "")
    return "".join(out)


def _grouped(line: list[Placed], hits: list[tuple[Placed, str]]) -> list[Patch]:
    """Neighbouring hit words of a line become one box ("3 March 2015" -> one patch)."""
    patches: list[Patch] = []
    order = {id(w): n for n, w in enumerate(line)}
    previous = -2
    for word, replacement in hits:
        number = order[id(word)]
        if patches and number == previous + 1:
            last = patches[-1]
            text = " ".join(t for t in (last.text, replacement) if t)
            top, bottom = min(last.top, word.top), max(last.bottom, word.bottom)
            patches[-1] = Patch(last.x0, word.x1, top, bottom, text, (*last.words, word))
        else:
            patches.append(Patch(word.x0, word.x1, word.top, word.bottom, replacement, (word,)))
        previous = number
    return patches


def _rebuilt(data: bytes, pages: list[PageWords], patches: list[list[Patch]]) -> bytes:
    original = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    document = pdfium.PdfDocument(data)
    try:
        for number, (page, page_patches) in enumerate(zip(pages, patches, strict=True)):
            if not page_patches:
                writer.add_page(original.pages[number])
                continue
            picture = document[number].render(scale=SCALE, may_draw_forms=False).to_pil()
            rebuilt = _page_pdf(page, page_patches, picture)
            writer.add_page(PdfReader(io.BytesIO(rebuilt)).pages[0])
    finally:
        document.close()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page_pdf(page: PageWords, patches: list[Patch], picture: Image.Image) -> bytes:
    picture = picture.convert("RGB")
    draw = ImageDraw.Draw(picture)
    for patch in patches:
        box = [(patch.x0 - PAD) * SCALE, (patch.top - PAD) * SCALE,
               (patch.x1 + PAD) * SCALE, (patch.bottom + PAD) * SCALE]  # fmt: skip
        draw.rectangle(box, fill="white", outline=(150, 150, 150))
    jpeg = io.BytesIO()
    picture.save(jpeg, format="JPEG", quality=82)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(page.width, page.height))
    with _binary_images():
        canvas.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, page.width, page.height)
        _text_layer(canvas, page, patches)
        canvas.showPage()
        canvas.save()
    return out.getvalue()


@contextmanager
def _binary_images() -> Iterator[None]:
    """The JPEG stored as it is: reportlab's ASCII85 text encoding of it is slow and larger."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def _text_layer(canvas: Canvas, page: PageWords, patches: list[Patch]) -> None:
    """Kept words invisible where they are on the picture, replacements printed in their box,
    in reading order so that the text reads as the page does."""
    patch_of = {id(w): p for p in patches for w in p.words}
    for line in page.lines:
        for word in line:
            patch = patch_of.get(id(word))
            if patch is None:
                _write(canvas, page, word.text, word.x0, word.top, word.bottom, invisible=word.x1)
            elif patch.words[0] is word and patch.text:
                _write(canvas, page, patch.text, patch.x0, patch.top, patch.bottom, patch.x1)


def _write(
    canvas: Canvas,
    page: PageWords,
    text: str,
    x: float,
    top: float,
    bottom: float,
    right: float | None = None,
    *,
    invisible: float = 0.0,
) -> None:
    """Text at its place; ``invisible`` is the right edge of a kept word, stretched to it."""
    word_width = invisible - x if invisible else 0.0
    size = max(4.0, (bottom - top) * 0.8)
    natural = max(stringWidth(text, FONT, 1), 0.1)
    if right is not None:
        size = max(4.0, min(size, (right - x + 2 * PAD) / natural))
    canvas.saveState()  # the text render mode is graphics state: it must not leak to the next
    label = canvas.beginText(x, page.height - bottom + (bottom - top) * 0.2)
    label.setFont(FONT, size)
    label.setTextRenderMode(3 if invisible else 0)
    if invisible and word_width:
        label.setHorizScale(100 * word_width / (natural * size))
    label.setFillColorRGB(0.25, 0.25, 0.25)
    label.textOut(text)
    canvas.drawText(label)
    canvas.restoreState()
