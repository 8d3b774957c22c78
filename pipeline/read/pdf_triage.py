"""Which PDFs need layout analysis: only those that may be a cluster form.

pdfplumber's words, lines and ruled tables are most of the time a PDF takes to read, and a
supporting document (a professional's report, a letter, a newsletter) needs none of them:
its fields are never read. pypdfium2's plain text, a fraction of the cost, tells the two
apart. A PDF is taken for a possible form when any form's title, or half of any form's
required labels (as many as ``classify`` needs), appear in that text; the comparison ignores
case, punctuation and every space, so a label wrapped over two lines, or words the text dump
runs together, still count. Only a PDF that is certainly no form skips the layout analysis,
and it is then read as the plain lines of its text.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pypdfium2 as pdfium

from pipeline.models import Cell
from schemas import FORMS, normalise_label, specs

# A document carrying this share of a form's required labels is taken for that form, here
# and by ``classify`` (which reads the same figure from here: the extractors import readers).
FORM_LABEL_SHARE = 0.5


def plain_lines(data: bytes, max_pages: int) -> list[list[str]]:
    """Each page's lines of text as pypdfium2 gives them (no layout analysis)."""
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for index in range(min(len(document), max_pages)):
            page = document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            pages.append([line.strip() for line in text.splitlines() if line.strip()])
        return pages
    finally:
        document.close()


def may_be_form(pages: list[list[str]]) -> bool:
    """Whether the text may hold a cluster form: some form's title, or enough of its labels."""
    text = _squeezed(" ".join(line for lines in pages for line in lines))
    if any(title in text for title in _titles()):
        return True
    for labels, required in _required_labels():
        present = sum(any(label in text for label in spellings) for spellings in labels)
        if present / required >= FORM_LABEL_SHARE:
            return True
    return False


def supporting_paragraphs(pages: list[list[str]]) -> list[Cell]:
    """The lines of a PDF that is no form, located as the layout reading locates them."""
    paragraphs: list[Cell] = []
    for page_number, lines in enumerate(pages, start=1):
        before = len(paragraphs)
        paragraphs += [
            Cell(text=text, row=before + n, location=f"page {page_number}, line {n}")
            for n, text in enumerate(lines, start=1)
        ]
    return paragraphs


def _squeezed(text: str) -> str:
    """Text compared as labels are (``normalise_label``), with no spaces at all."""
    return normalise_label(unicodedata.normalize("NFKC", text)).replace(" ", "")


@cache
def _titles() -> tuple[str, ...]:
    titles = (t for form in FORMS.values() for t in (form.title, *form.title_alternatives))
    return tuple(squeezed for squeezed in map(_squeezed, titles) if squeezed)


@cache
def _required_labels() -> tuple[tuple[tuple[tuple[str, ...], ...], int], ...]:
    """Each form's required fields, each as its label's spellings, and how many there are."""
    forms = []
    for form in FORMS.values():
        required = [spec for spec in specs(form) if spec.required]
        if required:
            labels = tuple(tuple(_squeezed(label) for label in s.labels) for s in required)
            forms.append((labels, len(required)))
    return tuple(forms)
