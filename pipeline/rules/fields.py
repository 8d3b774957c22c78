"""Field-level rules every form shares: present, readable, long enough, signed."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding, form_title
from schemas import FieldSpec, IpnReferral, filled, specs
from schemas.codes import RuleCode
from schemas.fieldref import field_ref
from schemas.types import Kind, Value

MIN_NARRATIVE_WORDS = 20
# The forms' signature boxes, all under this one field id (tests/test_field_names.py).
SIGNATURE_FIELDS = (field_ref(IpnReferral, lambda f: f.headteacher_signature).id,)


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
            label=spec.label,
            title=title,
            problem=found.problem,
            **where,
        )
    elif found is None or spec.id not in values:
        if spec.id in SIGNATURE_FIELDS and spec.required:
            yield finding(
                RuleCode.signature_missing,
                title=title,
                label=spec.label,
                **where,
            )
        elif spec.required:
            state = "is empty" if found is not None else "is missing"
            yield finding(
                RuleCode.missing_field,
                label=spec.label,
                state=state,
                title=title,
                **where,
            )
    elif spec.kind is Kind.longtext and spec.required:
        words = len(str(values[spec.id]).split())
        if words < MIN_NARRATIVE_WORDS:
            yield finding(
                RuleCode.short_narrative,
                label=spec.label,
                words=f"{words} word{'' if words == 1 else 's'}",
                minimum=MIN_NARRATIVE_WORDS,
                **where,
            )
