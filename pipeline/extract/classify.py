"""What kind of document is this? By its title line first, failing that by its labels."""

from __future__ import annotations

from functools import cache

from pipeline.extract.labels import LabelIndex
from pipeline.extract.locate import locate
from pipeline.models import ReadDocument
from pipeline.read.pdf_triage import FORM_LABEL_SHARE
from schemas import FORMS, DocumentKind, Form, normalise_label, specs

SUPPORTING = DocumentKind.supporting
MIN_LABEL_SHARE = FORM_LABEL_SHARE  # the PDF triage takes a possible form by the same share
TITLE_LINES = 4  # the title is among a document's first lines


def classify(document: ReadDocument) -> DocumentKind:
    return _by_title(document) or _by_labels(document) or SUPPORTING


def _by_title(document: ReadDocument) -> DocumentKind | None:
    """The kind whose title starts one of the first lines (a page header may come first)."""
    for line in _first_lines(document):
        title = normalise_label(line)
        for kind, titles in _normalised_titles().items():
            if title and any(title.startswith(t) for t in titles):
                return kind
    return None


def _first_lines(document: ReadDocument) -> list[str]:
    lines = [cell.text for cell in document.paragraphs[:TITLE_LINES] if cell.text.strip()]
    return lines or [document.title_line()]


def _titles(form: type[Form]) -> tuple[str, ...]:
    return (form.title, *form.title_alternatives)


def _by_labels(document: ReadDocument) -> DocumentKind | None:
    best_kind, best_share = None, 0.0
    for kind, (index, required) in _required_labels().items():
        found = locate(document, index)
        share = len(found) / required if required else 0.0
        if share > best_share:
            best_kind, best_share = kind, share
    return best_kind if best_share >= MIN_LABEL_SHARE else None


@cache
def _required_labels() -> dict[DocumentKind, tuple[LabelIndex, int]]:
    """Each form's required labels, indexed once: kind -> (index, how many fields)."""
    indexes = {}
    for kind, form in FORMS.items():
        required = [s for s in specs(form) if s.required]
        indexes[kind] = (LabelIndex(required), len(required))
    return indexes


@cache
def _normalised_titles() -> dict[DocumentKind, tuple[str, ...]]:
    return {kind: tuple(normalise_label(t) for t in _titles(form)) for kind, form in FORMS.items()}
