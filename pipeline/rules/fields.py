"""Field-level rules every form shares: present, readable, long enough, signed."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding, form_title
from schemas import FORMS, FieldSpec, specs
from schemas.types import Kind

MIN_NARRATIVE_WORDS = 20
SIGNATURE_FIELDS = ("headteacher_signature",)


def check_fields(document: ExtractedDocument) -> list[Finding]:
    form = FORMS.get(document.kind)
    if form is None:
        return []
    return [f for spec in specs(form) for f in _check(document, spec)]


def _check(document: ExtractedDocument, spec: FieldSpec) -> Iterator[Finding]:
    title = form_title(document.kind)
    found = document.fields.get(spec.id)
    where = dict(field=spec.id, document=document.filename)
    if found is not None and found.problem:
        yield finding(
            "invalid_value",
            f"'{spec.label}' on the {title} could not be read: {found.problem}.",
            **where,
        )
    elif found is None or not found.has_value:
        if spec.id in SIGNATURE_FIELDS and spec.required:
            yield finding(
                "signature_missing",
                f"The {title} has not been signed: '{spec.label}' is empty. "
                "Please ask the headteacher to sign it and send it again.",
                **where,
            )
        elif spec.required:
            state = "is empty" if found is not None else "is missing"
            yield finding(
                "missing_field",
                f"'{spec.label}' {state} on the {title}. Please complete it and "
                "send the form again.",
                **where,
            )
    elif spec.kind is Kind.longtext and spec.required:
        words = len(str(found.value).split())
        if words < MIN_NARRATIVE_WORDS:
            yield finding(
                "short_narrative",
                f"'{spec.label}' has only {words} word{'' if words == 1 else 's'}. The panel "
                f"needs more detail (at least {MIN_NARRATIVE_WORDS} words) to make a decision.",
                **where,
            )
