"""Field-level rules every form shares: present, readable, long enough, signed."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding, form_title
from schemas import FieldSpec, filled, specs
from schemas.codes import RuleCode
from schemas.types import Kind, Value

MIN_NARRATIVE_WORDS = 20
SIGNATURE_FIELDS = ("headteacher_signature",)


def check_fields(document: ExtractedDocument) -> list[Finding]:
    if document.form is None:
        return []
    values = dict(filled(document.form))
    return [f for spec in specs(type(document.form)) for f in _check(document, spec, values)]


def _check(
    document: ExtractedDocument, spec: FieldSpec, values: dict[str, Value]
) -> Iterator[Finding]:
    title = form_title(document.kind)
    found = document.fields.get(spec.id)
    where = dict(field=spec.id, document=document.filename)
    if found is not None and found.problem:
        yield finding(
            RuleCode.invalid_value,
            f"'{spec.label}' on the {title} could not be read: {found.problem}.",
            **where,
        )
    elif found is None or spec.id not in values:
        if spec.id in SIGNATURE_FIELDS and spec.required:
            yield finding(
                RuleCode.signature_missing,
                f"The {title} has not been signed: '{spec.label}' is empty. "
                "Please ask the headteacher to sign it and send it again.",
                **where,
            )
        elif spec.required:
            state = "is empty" if found is not None else "is missing"
            yield finding(
                RuleCode.missing_field,
                f"'{spec.label}' {state} on the {title}. Please complete it and "
                "send the form again.",
                **where,
            )
    elif spec.kind is Kind.longtext and spec.required:
        words = len(str(values[spec.id]).split())
        if words < MIN_NARRATIVE_WORDS:
            yield finding(
                RuleCode.short_narrative,
                f"'{spec.label}' has only {words} word{'' if words == 1 else 's'}. The panel "
                f"needs more detail (at least {MIN_NARRATIVE_WORDS} words) to make a decision.",
                **where,
            )
