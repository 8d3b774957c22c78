"""What every stage of processing is handed: the configuration, the store, the register, the
parser pool, the clock that times the stages, and what publishing made for the reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.config import Config
from pipeline.intake.store import BlobStore
from pipeline.register import Register
from pipeline.sandbox import ParserPool
from pipeline.timings import StageClock


@dataclass(frozen=True)
class Context:
    config: Config
    store: BlobStore
    register: Register
    parsers: ParserPool  # its worker process lives as long as the context
    timings: StageClock = field(default_factory=StageClock)  # a run puts its own here
    # Each published submission's part of the reports, by its record's digest, until the
    # reports are next written (``publish``, ``runner.write_reports``): made from the
    # submission in hand, so a record just published is not typed again for the reports.
    # Typed by the reports, a later stage: ``reports.parts.report_cache``.
    published: dict[bytes, object] = field(default_factory=dict)
