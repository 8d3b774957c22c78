"""What every stage of processing is handed: the configuration, the store and the register."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config import Config
from pipeline.intake.store import BlobStore
from pipeline.register import Register
from pipeline.reports.parts import ReportParts


@dataclass(frozen=True)
class Context:
    config: Config
    store: BlobStore
    register: Register
    # What the reports made of each stored record, by its digest (see reports/parts.py).
    report_parts: dict[bytes, ReportParts] = field(default_factory=dict)
