"""What every stage of processing is handed: the configuration, the store and the register."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import Config
from pipeline.intake.store import BlobStore
from pipeline.register import Register


@dataclass(frozen=True)
class Context:
    config: Config
    store: BlobStore
    register: Register
