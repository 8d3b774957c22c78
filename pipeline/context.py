"""What every stage of processing is handed: the configuration, the store, the register and
the parser pool."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import Config
from pipeline.intake.store import BlobStore
from pipeline.register import Register
from pipeline.sandbox import ParserPool


@dataclass(frozen=True)
class Context:
    config: Config
    store: BlobStore
    register: Register
    parsers: ParserPool  # its worker process lives as long as the context
