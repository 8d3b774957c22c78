"""What kind of document is this? By its title line first, failing that by its labels."""

from __future__ import annotations

from pipeline.extract.locate import LabelIndex, locate
from pipeline.models import ReadDocument
from schemas import FORMS, Form, normalise_label, specs

SUPPORTING = "supporting"
MIN_LABEL_SHARE = 0.5
TITLE_LINES = 4  # the title is among a document's first lines


def classify(document: ReadDocument) -> str:
    return _by_title(document) or _by_labels(document) or SUPPORTING


def _by_title(document: ReadDocument) -> str | None:
    """The kind whose title starts one of the first lines (a page header may come first)."""
    for line in _first_lines(document):
        title = normalise_label(line)
        for kind, form in FORMS.items():
            if title and any(title.startswith(normalise_label(t)) for t in _titles(form)):
                return kind
    return None


def _first_lines(document: ReadDocument) -> list[str]:
    lines = [cell.text for cell in document.paragraphs[:TITLE_LINES] if cell.text.strip()]
    return lines or [document.title_line()]


def _titles(form: type[Form]) -> tuple[str, ...]:
    return (form.title, *form.title_alternatives)


def _by_labels(document: ReadDocument) -> str | None:
    best_kind, best_share = None, 0.0
    for kind, form in FORMS.items():
        required = [s for s in specs(form) if s.required]
        found = locate(document, LabelIndex(required))
        share = len(found) / len(required) if required else 0.0
        if share > best_share:
            best_kind, best_share = kind, share
    return best_kind if best_share >= MIN_LABEL_SHARE else None
