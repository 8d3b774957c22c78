"""A read document + its form schema -> typed field values, each knowing where it came from."""

from __future__ import annotations

from pipeline.extract.locate import LabelIndex, Located, locate
from pipeline.models import ExtractedDocument, FieldValue, ReadDocument
from pipeline.read.pdf import FORMAT_OCR
from schemas import Form, parse_value, specs
from schemas.types import blank


def extract_form(document: ReadDocument, form: type[Form]) -> ExtractedDocument:
    misread = document.format == FORMAT_OCR  # OCR slips a letter in a label now and then
    located = locate(document, LabelIndex(specs(form), misread=misread))
    fields = {field_id: typed_value(form, field_id, found) for field_id, found in located.items()}
    return ExtractedDocument(
        filename=document.filename, sha256=document.sha256, kind=form.kind, fields=fields
    )


def typed_value(form: type[Form], field_id: str, found: Located) -> FieldValue:
    """Read a located raw value as its field's type; a value that can't be read keeps a reason."""
    if blank(found.raw):
        return FieldValue(field=field_id, raw=found.text, source=found.source)
    try:
        value = parse_value(form, field_id, found.raw)
    except ValueError as exc:
        return FieldValue(field=field_id, raw=found.text, problem=str(exc), source=found.source)
    return FieldValue(field=field_id, raw=found.text, value=value, source=found.source)
