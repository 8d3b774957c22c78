"""Reading back what a run left: the JSON record of each generated email, and its codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.models import ExtractedDocument
from pipeline.runner import open_context, run_inbox
from schemas import filled


def record_of(email: Path, outbox: Path) -> dict[str, Any]:
    """The JSON record the run wrote for ``email`` (one request per email)."""
    submission_id = "S-" + hashlib.sha256(email.read_bytes()).hexdigest()[:16]
    loaded: dict[str, Any] = json.loads(
        (outbox / "submissions" / f"{submission_id}.json").read_text()
    )
    return loaded


def run_one(config: Config, name: str, data: bytes) -> dict[str, Any]:
    """Drop one email into the inbox, run the pipeline, and read back its record."""
    path = config.paths.inbox / name
    path.write_bytes(data)
    with open_context(config) as ctx:
        run_inbox(ctx)
    return record_of(path, config.paths.outbox)


def codes(record: dict[str, Any], severity: str | None = None) -> set[str]:
    """The rule codes of the record's findings (of one severity, if given)."""
    return {f["code"] for f in record["findings"] if severity in (None, f["severity"])}


def located_values(document: ExtractedDocument) -> dict[str, object]:
    """Every field found on the document: its typed value, or None when blank or unreadable."""
    values = dict(filled(document.form)) if document.form is not None else {}
    return {field_id: values.get(field_id) for field_id in document.fields}
