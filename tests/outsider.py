"""A generated referral sent with its form or map re-saved the way another program saves it,
and what the run made of it: the submission's JSON, beside that of the same referral sent as
the project's generator saves it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox
from testkit.samples import sample
from testkit.samples.email_message import attachments, email_bytes

Resave = Callable[[bytes], bytes]


def repackaged(
    data: bytes, rewrite: Callable[[str, bytes], bytes], rename: dict[str, str] | None = None
) -> bytes:
    """The package with each part's bytes passed through ``rewrite`` (and parts renamed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            name = (rename or {}).get(item.filename, item.filename)
            target.writestr(name, rewrite(item.filename, source.read(item)))
    return out.getvalue()


def submitted(
    config: Config, form: Resave | None = None, provision_map: Resave | None = None
) -> dict[str, Any]:
    """A clean generated referral sent with its form and map re-saved so; its JSON."""
    referral = sample(1, "clean", config, seed=461)
    (form_file, form_bytes), (map_file, map_bytes) = attachments(referral)
    files = [
        (form_file, form(form_bytes) if form else form_bytes),
        (map_file, provision_map(map_bytes) if provision_map else map_bytes),
    ]
    (config.paths.inbox / "referral.eml").write_bytes(email_bytes(referral, files))
    with open_context(config) as ctx:
        run_inbox(ctx)
    (path,) = (config.paths.outbox / "submissions").iterdir()
    record: dict[str, Any] = json.loads(path.read_text())
    return record


def kinds_and_fields(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(d["kind"], d["fields"]) for d in record["documents"]]


def read_as_usual(config: Config, root: Path) -> list[tuple[str, dict[str, Any]]]:
    """What the same referral, saved the usual way, reads as (in a run of its own)."""
    (root / "inbox").mkdir(parents=True, exist_ok=True)
    record = submitted(config.under(root))
    assert record["status"] == "complete"
    return kinds_and_fields(record)
