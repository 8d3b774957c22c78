"""What every stage of processing is handed: the configuration, the store, the register, the
parser pool and the clock that times the stages."""

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
