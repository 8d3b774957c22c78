"""The drop folder as a source: every file directly inside it, read but never moved or deleted.

File names are not logged: schools name files after pupils.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path

from pipeline.config import Intake
from pipeline.errors import SourceError
from pipeline.models import Incoming
from pipeline.sources.base import Source

log = logging.getLogger(__name__)

SOURCE_NAME = "folder"


def is_ignored(name: str, patterns: Iterable[str]) -> bool:
    """Office lock files, partial downloads, temporary and hidden files (case-insensitive)."""
    lowered = name.lower()
    return any(fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


class FolderSource(Source):
    """The register, not this class, remembers what was already seen (by hash)."""

    name = SOURCE_NAME
    keeps_drafts = False

    def __init__(self, folder: Path, intake: Intake) -> None:
        self.folder = folder
        self.intake = intake

    def names(self) -> list[str]:
        """The regular files directly in the folder, not ignored, sorted by name."""
        try:
            with os.scandir(self.folder) as entries:
                return sorted(
                    entry.name
                    for entry in entries
                    if entry.is_file(follow_symlinks=False)
                    and not is_ignored(entry.name, self.intake.ignore_patterns)
                )
        except OSError as exc:
            raise SourceError(f"cannot list the drop folder {self.folder}: {exc.strerror}") from exc

    def pending(self) -> Iterator[Incoming]:
        for index, name in enumerate(self.names(), start=1):
            incoming = self.read(name, index=index)
            if incoming is not None:
                yield incoming

    def read(self, name: str, *, index: int = 0) -> Incoming | None:
        """The file as an Incoming, or None if it vanished or cannot be read (logged)."""
        try:
            fd = os.open(self.folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode):
                    return None
                data = handle.read()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            log.warning("skipped drop-folder file %d: %s", index, reason)
            return None
        return Incoming(
            source=self.name,
            ref=name,
            filename=name,
            data=data,
            arrived_at=datetime.fromtimestamp(info.st_mtime, tz=UTC),
        )

    def finished(self, incoming: Incoming, *, quarantined: bool) -> None:
        """Nothing to do: inputs stay where they are, and re-runs are de-duplicated by hash."""

    def save_draft(self, message: bytes) -> None:
        """Nothing to do: reply drafts of the drop folder are only the .eml files in outbox/."""

    def has_draft(self, message: bytes) -> bool:
        return False

    def close(self) -> None:
        """Nothing to release."""
