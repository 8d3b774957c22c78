"""A case's field values as the bundle prints them: found in its documents, typed by schema."""

from __future__ import annotations

from functools import cache
from typing import Any

from pipeline.meetings.models import CaseFile
from pipeline.models import ExtractedDocument, FieldValue
from pipeline.reports.wording import NOT_GIVEN, field_kind, field_label, field_order, format_value
from schemas import FORMS, FieldSpec, Form, ProvisionLine, specs
from schemas.types import Kind

_GUESSED_KINDS = (
    (("amount", "cost", "topup", "contribution", "rate"), Kind.money),
    (("percent", "attendance_before", "attendance_after"), Kind.percent),
)


@cache
def label(document_kind: str | None, field_id: str) -> str:
    """The field's printed label (remembered: reading the schemas is not cheap)."""
    return field_label(document_kind, field_id)


@cache
def printed_order(document_kind: str, field_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The fields in the order the document's form prints them."""
    return tuple(field_order(FORMS.get(document_kind), list(field_ids)))


@cache
def line_columns() -> tuple[FieldSpec, ...]:
    return specs(ProvisionLine)


@cache
def kind_of(document_kind: str, field_id: str) -> Kind | None:
    """The field's kind from its form's schema; guessed from its id when no schema has it."""
    kind = field_kind(FORMS.get(document_kind), field_id)
    if kind is not None:
        return kind
    forms: list[type[Form]] = [*FORMS.values(), ProvisionLine]
    for form in forms:
        kind = field_kind(form, field_id)
        if kind is not None:
            return kind
    return next((k for words, k in _GUESSED_KINDS if any(w in field_id for w in words)), None)


def show(document_kind: str, found: FieldValue) -> str:
    """A field's value as printed: typed and formatted, or the raw text and why it is unread."""
    if found.value is not None:
        return format_value(found.value, kind_of(document_kind, found.field))
    if found.raw.strip():
        reason = f" (could not be read: {found.problem})" if found.problem else ""
        return f"{found.raw.strip()}{reason}"
    return NOT_GIVEN


def case_field(case: CaseFile, field_id: str) -> tuple[ExtractedDocument, FieldValue] | None:
    """The first document (forms before provision maps) that gives the field a value."""
    ordered = sorted(case.documents, key=lambda d: d.kind == "provision_map")
    for document in ordered:
        found = document.fields.get(field_id)
        if found is not None and found.value is not None:
            return document, found
    return None


def case_value(case: CaseFile, field_id: str) -> Any:
    found = case_field(case, field_id)
    return found[1].value if found else None


def case_text(case: CaseFile, field_id: str) -> str:
    found = case_field(case, field_id)
    return show(found[0].kind, found[1]) if found else NOT_GIVEN


def is_narrative(document_kind: str, found: FieldValue) -> bool:
    kind = kind_of(document_kind, found.field)
    if kind is Kind.longtext:
        return True
    return kind is None and isinstance(found.value, str) and len(found.value.split()) > 25
