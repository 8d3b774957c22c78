"""A case's field values as the bundle prints them: found in its documents, typed by schema."""

from __future__ import annotations

from functools import cache

from pipeline.meetings.models import CaseFile
from pipeline.models import FieldRead
from pipeline.reports.wording import NOT_GIVEN, field_kind, field_label, field_order, format_value
from schemas import FORMS, DocumentKind, FieldSpec, ProvisionLine, Record, filled, specs
from schemas.types import Kind, Value

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
    own = FORMS[DocumentKind(document_kind)] if document_kind in FORMS else None
    return tuple(field_order(own, list(field_ids)))


@cache
def line_columns() -> tuple[FieldSpec, ...]:
    return specs(ProvisionLine)


@cache
def kind_of(document_kind: str, field_id: str) -> Kind | None:
    """The field's kind from its form's schema; guessed from its id when no schema has it."""
    own = FORMS[DocumentKind(document_kind)] if document_kind in FORMS else None
    kind = field_kind(own, field_id)
    if kind is not None:
        return kind
    forms: list[type[Record]] = [*FORMS.values(), ProvisionLine]
    for form in forms:
        kind = field_kind(form, field_id)
        if kind is not None:
            return kind
    return next((k for words, k in _GUESSED_KINDS if any(w in field_id for w in words)), None)


def values_of(record: Record | None) -> dict[str, Value]:
    """The record's filled values by field id (none for a document that is no form)."""
    return dict(filled(record)) if record is not None else {}


def show(document_kind: str, found: FieldRead, value: Value | None) -> str:
    """A field's value as printed: typed and formatted, or the raw text and why it is unread."""
    if value is not None:
        return format_value(value, kind_of(document_kind, found.field))
    if found.raw.strip():
        reason = f" (could not be read: {found.problem})" if found.problem else ""
        return f"{found.raw.strip()}{reason}"
    return NOT_GIVEN


def case_text(case: CaseFile, field_id: str) -> str:
    """The field as printed from the first document (forms before provision maps) that gives
    it a value."""
    ordered = sorted(case.documents, key=lambda d: d.kind is DocumentKind.provision_map)
    for document in ordered:
        found, value = document.fields.get(field_id), values_of(document.form).get(field_id)
        if found is not None and value is not None:
            return show(document.kind, found, value)
    return NOT_GIVEN


def is_narrative(document_kind: str, found: FieldRead, value: Value | None) -> bool:
    kind = kind_of(document_kind, found.field)
    if kind is Kind.longtext:
        return True
    return kind is None and isinstance(value, str) and len(value.split()) > 25
