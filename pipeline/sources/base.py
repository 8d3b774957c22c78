"""The one interface every mail source shares: "give me new raw messages; I finished this one"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from pipeline.models import Incoming


class Source(Protocol):
    name: str
    keeps_drafts: bool  # whether save_draft puts drafts in a mailbox

    def pending(self) -> Iterator[Incoming]:
        """The raw messages waiting, oldest first."""
        ...

    def finished(self, incoming: Incoming, *, quarantined: bool) -> None:
        """Called only once the results for ``incoming`` are on disk (also for a message seen
        before, so a move that failed last time is tried again)."""
        ...

    def save_draft(self, message: bytes) -> None:
        """Put a reply draft (RFC 822 bytes) where the admin will find it; never send it."""
        ...

    def has_draft(self, message: bytes) -> bool:
        """Whether the drafts folder holds this draft already (found by its Message-ID)."""
        ...

    def close(self) -> None:
        """Log out and release the connection, if the source keeps one."""
        ...
