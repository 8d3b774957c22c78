"""A read document + its form schema -> the form's typed values, each knowing where it came from.

The raw values found beside the labels are validated into the form's model once
(:func:`schemas.read_record`); where each was read, and why one could not be, is kept beside
it as a :class:`~pipeline.models.FieldRead`.
"""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.extract.labels import LabelIndex, Located
from pipeline.extract.locate import locate
from pipeline.extract.ticked_rows import ticked_rows
from pipeline.models import ExtractedDocument, FieldRead, ReadDocument
from pipeline.read.pdf_formats import FORMAT_OCR
from schemas import AnyForm, read_record, specs
from schemas.reading import R


def extract_form(document: ReadDocument, form: type[AnyForm]) -> ExtractedDocument:
    misread = document.format == FORMAT_OCR  # OCR slips a letter in a label now and then
    located = locate(document, LabelIndex(specs(form), misread=misread))
    values, fields = read_located(form, {**located, **ticked_rows(document, form, located)})
    return ExtractedDocument(
        filename=document.filename,
        sha256=document.sha256,
        kind=form.kind,
        form=values,
        fields=fields,
    )


def read_located(record: type[R], located: Mapping[str, Located]) -> tuple[R, dict[str, FieldRead]]:
    """The record of the located raw values, and where each was read (with why it could not
    be read as its type)."""
    values, problems = read_record(  # a cell whose formula failed has no value to read
        record, {f: None if found.problem else found.raw for f, found in located.items()}
    )
    fields = {
        field_id: FieldRead(
            field=field_id,
            raw=found.text,
            problem=found.problem or problems.get(field_id),
            source=found.source,
        )
        for field_id, found in located.items()
    }
    return values, fields
