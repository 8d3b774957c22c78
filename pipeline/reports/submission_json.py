"""The machine-readable record of a submission, exactly as SPEC section 6 shapes it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.atomic import write_text_atomic
from pipeline.models import ExtractedDocument, FieldRead, Finding, Submission
from schemas import Record, filled
from schemas.types import Value


def spec_record(submission: Submission) -> dict[str, Any]:
    return {
        "submission_id": submission.submission_id,
        "case_ref": submission.case_ref,
        "received_at": submission.received_at.isoformat(),
        "sender": submission.sender,
        "request_type": submission.request_type.value if submission.request_type else None,
        "status": submission.status.value,
        "meeting": submission.meeting.isoformat() if submission.meeting else None,
        "documents": [_document(d) for d in submission.documents],
        "findings": [_finding(f) for f in submission.findings],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    record: dict[str, Any] = {
        "code": finding.code,
        "severity": finding.severity.value,
        "field": finding.field,
        "document": finding.document,
        "message": finding.message,
    }
    if finding.accepted is not None:
        record["accepted"] = {
            "by": finding.accepted.by,
            "at": finding.accepted.at.isoformat(),
            "reason": finding.accepted.reason,
        }
    return record


def _document(document: ExtractedDocument) -> dict[str, Any]:
    return {
        "filename": document.filename,
        "sha256": document.sha256,
        "kind": document.kind,
        "fields": _values(document.form, document.fields),
        "lines": [_values(line.values, line.fields) for line in document.lines],
    }


JsonValue = str | int | float | bool | list[str]


def _values(record: Record | None, where: dict[str, FieldRead]) -> dict[str, JsonValue]:
    """Only fields that hold a readable value, in the order they were found; absent or
    unreadable ones are findings instead."""
    values = dict(filled(record)) if record is not None else {}
    return {name: _json_value(values[name]) for name in where if name in values}


def _json_value(value: Value) -> JsonValue:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_submission_json(
    outbox: Path, submission: Submission, *, sync_folder: bool = True
) -> Path:
    """The submission's JSON, written atomically; durable once its folder is fsynced (here,
    unless ``sync_folder`` is False and the caller does it once for several)."""
    path = outbox / "submissions" / f"{submission.submission_id}.json"
    text = json.dumps(spec_record(submission), indent=2, ensure_ascii=False, sort_keys=False)
    write_text_atomic(path, text + "\n", sync_folder=sync_folder)
    return path
