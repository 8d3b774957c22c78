"""A stored submission record -> a Submission, whichever version of the pipeline stored it.

Records written before documents carried typed forms kept each value inside its field
(``fields.upn.value``) and each line as a mapping of such fields. They are read by moving the
values into the document's form and lines, where validation types them as it types any
stored form; a value that no longer reads is left out, as extraction leaves it out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pipeline.models import Submission
from schemas import FORMS, LINES, DocumentKind, Record, read_record


@dataclass(frozen=True)
class StoredRecord:
    """A submission's record as stored, typed only when asked: readers that keep what they
    made of it (the reports) read it again only when its digest changes."""

    digest: bytes
    text: str

    @classmethod
    def of(cls, text: str) -> StoredRecord:
        return cls(hashlib.blake2b(text.encode(), digest_size=16).digest(), text)

    def submission(self) -> Submission:
        return submission_of(self.text)


def submission_of(text: str) -> Submission:
    try:
        return Submission.model_validate_json(text)
    except ValidationError:
        data = json.loads(text)
        if not isinstance(data, dict) or not _untyped(data):
            raise
    return Submission.model_validate({**data, "documents": [_typed(d) for d in data["documents"]]})


def _untyped(data: dict[str, Any]) -> bool:
    documents = data.get("documents")
    return isinstance(documents, list) and any(
        isinstance(d, dict) and "form" not in d for d in documents
    )


def _typed(document: dict[str, Any]) -> dict[str, Any]:
    if "form" in document:
        return document
    if document.get("kind") not in FORMS:
        return {**document, "fields": _where(document.get("fields") or {}), "lines": []}
    kind = DocumentKind(document["kind"])
    fields = document.get("fields") or {}
    line = LINES.get(kind)
    return {
        **document,
        "form": _values(FORMS[kind], fields),
        "fields": _where(fields),
        "lines": [
            {"values": _values(line, row), "fields": _where(row)}
            for row in document.get("lines") or []
            if line is not None
        ],
    }


def _values(record: type[Record], fields: dict[str, Any]) -> Record:
    found = {
        field_id: stored["value"]
        for field_id, stored in fields.items()
        if field_id in record.model_fields and stored.get("value") is not None
    }
    values, _ = read_record(record, found)
    return values


def _where(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: {n: v for n, v in stored.items() if n != "value"} for k, stored in fields.items()}
