"""Give values read back from JSON (the register's records) their types again.

A submission's values are stored as JSON, where a date is a string; rules compare dates with
dates, so values are re-read through their field's schema type when a record is loaded.
"""

from __future__ import annotations

from typing import Any

from pipeline.models import ExtractedDocument, FieldValue, Submission
from schemas import FORMS, Form, ProvisionLine, parse_value

LINE_FORMS: dict[str, type[Form]] = {"provision_map": ProvisionLine}


def retyped(submission: Submission) -> Submission:
    documents = tuple(_document(d) for d in submission.documents)
    return submission.model_copy(update={"documents": documents})


def _document(document: ExtractedDocument) -> ExtractedDocument:
    form = FORMS.get(document.kind)
    if form is None:
        return document
    fields = {k: _value(form, v) for k, v in document.fields.items()}
    line_form = LINE_FORMS.get(document.kind)
    lines = document.lines
    if line_form is not None:
        lines = tuple({k: _value(line_form, v) for k, v in line.items()} for line in lines)
    return document.model_copy(update={"fields": fields, "lines": lines})


def _value(form: type[Form], found: FieldValue) -> FieldValue:
    if found.value is None or found.field not in form.model_fields:
        return found
    return found.model_copy(update={"value": _parsed(form, found.field, found.value)})


def _parsed(form: type[Form], field_id: str, value: Any) -> Any:
    try:
        return parse_value(form, field_id, value)
    except ValueError:
        return value
