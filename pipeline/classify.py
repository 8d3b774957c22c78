"""What kind of document is this? By its title line first, failing that by its labels."""

from __future__ import annotations

from pipeline.extract.locate import LabelIndex, locate
from pipeline.models import ReadDocument
from schemas import FORMS, Form, normalise_label, specs

SUPPORTING = "supporting"
MIN_LABEL_SHARE = 0.5


def classify(document: ReadDocument) -> str:
    return _by_title(document) or _by_labels(document) or SUPPORTING


def _by_title(document: ReadDocument) -> str | None:
    title = normalise_label(document.title_line())
    if not title:
        return None
    for kind, form in FORMS.items():
        if any(title.startswith(normalise_label(t)) for t in _titles(form)):
            return kind
    return None


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
