"""Which submissions' JSON is still to be written, and their records.

The transaction that records (or changes) a submission also marks it unpublished; its files
are written from the committed record and only then is the mark removed. A crash in between
leaves the mark, and the next run writes the files: no JSON ever speaks for an email the
register does not know, and none is missing or stale for one it does.

The submissions this connection has just recorded are kept, with the record text each was
stored as, until their files are written: a committed record that is that very text is that
submission (a Submission's JSON reads back as an equal one), so it is not validated again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from pipeline.models import Submission
from pipeline.register.base import Connection
from pipeline.register.records import StoredRecord


def mark_changed(db: sqlite3.Connection, submissions: Iterable[Submission]) -> None:
    """Mark new or changed submissions for their JSON to be written (again)."""
    db.executemany(
        "INSERT INTO unpublished (submission) VALUES (?) ON CONFLICT(submission) "
        "DO UPDATE SET marked = marked + 1",
        [(s.submission_id,) for s in submissions],
    )


RECORDED_KEPT = 64  # recorded submissions kept for their files: a few emails' worth


class Unpublished(NamedTuple):
    submission: str
    marked: int  # how many times it was marked: a mark made after it was read stays


class OutputQueries(Connection):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._recorded: dict[str, tuple[str, Submission]] = {}

    def _recorded_as(self, submission: Submission, record: str) -> None:
        """``submission`` is being stored as ``record`` (kept until read back once)."""
        if len(self._recorded) >= RECORDED_KEPT:
            self._recorded.clear()  # recorded and never read back: rolled back, or not ours
        self._recorded[submission.submission_id] = (record, submission)

    def unpublished(self) -> list[Unpublished]:
        """The submissions whose files are still to be written."""
        rows = self._db.execute("SELECT submission, marked FROM unpublished ORDER BY rowid")
        return [Unpublished(str(s), int(marked)) for s, marked in rows]

    def mark_published(self, written: Sequence[Unpublished]) -> None:
        """These files are written; a submission changed again since it was read stays marked
        (another process may have committed a change meanwhile)."""
        if not written:
            return
        # Not waited for on disk: a mark a power cut brings back only has its file written
        # again, the same bytes from the same record.
        with self._unsynced(), self._transaction():
            self._db.executemany(
                "DELETE FROM unpublished WHERE submission = ? AND marked = ?",
                [(w.submission, w.marked) for w in written],
            )

    def submission(self, submission_id: str) -> Submission | None:
        stored = self.stored_record(submission_id)
        return None if stored is None else self.typed(submission_id, stored)

    def stored_record(self, submission_id: str) -> StoredRecord | None:
        row = self._db.execute(
            "SELECT record FROM submissions WHERE id = ?", (submission_id,)
        ).fetchone()
        return StoredRecord.of(str(row[0])) if row else None

    def typed(self, submission_id: str, stored: StoredRecord) -> Submission:
        """The submission a record read back holds: the one this connection recorded, if the
        record is the very text it was stored as, else the record validated."""
        kept = self._recorded.pop(submission_id, None)
        if kept is not None and kept[0] == stored.text:
            return kept[1]
        return stored.submission()

    def raw_email_of(self, submission_id: str) -> str | None:
        """The hash of the stored raw email a submission came from."""
        row = self._db.execute(
            "SELECT m.sha256 FROM submissions s JOIN messages m ON m.id = s.message WHERE s.id = ?",
            (submission_id,),
        ).fetchone()
        return str(row[0]) if row else None
