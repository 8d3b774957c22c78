"""Which submissions' JSON and reply drafts are still to be written, and their records.

The transaction that records (or changes) a submission also marks it unpublished; its files
are written from the committed record and only then is the mark removed. A crash in between
leaves the mark, and the next run writes the files: no JSON ever speaks for an email the
register does not know, and none is missing or stale for one it does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from pipeline.models import Status, Submission
from pipeline.register.base import Connection
from pipeline.register.records import submission_of


def mark_unpublished(db: sqlite3.Connection, submissions: Iterable[Submission]) -> None:
    """Mark submissions to be written out; a new incomplete one from a sender also wants its
    reply draft, which a later change (a refresh) does not cancel."""
    db.executemany(
        "INSERT INTO unpublished (submission, reply) VALUES (?, ?) ON CONFLICT(submission) "
        "DO UPDATE SET reply = MAX(reply, excluded.reply), marked = marked + 1",
        [(s.submission_id, int(needs_reply(s))) for s in submissions],
    )


def mark_changed(db: sqlite3.Connection, submissions: Iterable[Submission]) -> None:
    """Mark changed submissions for their JSON to be written again (no new reply draft)."""
    db.executemany(
        "INSERT INTO unpublished (submission) VALUES (?) ON CONFLICT(submission) "
        "DO UPDATE SET marked = marked + 1",
        [(s.submission_id,) for s in submissions],
    )


def needs_reply(submission: Submission) -> bool:
    return submission.status is Status.incomplete and bool(submission.sender)


class Unpublished(NamedTuple):
    submission: str
    reply: bool  # its reply draft is to be written too
    marked: int  # how many times it was marked: a mark made after it was read stays


class OutputQueries(Connection):
    def unpublished(self) -> list[Unpublished]:
        """The submissions whose files are still to be written."""
        rows = self._db.execute("SELECT submission, reply, marked FROM unpublished ORDER BY rowid")
        return [Unpublished(str(s), bool(reply), int(marked)) for s, reply, marked in rows]

    def mark_published(self, written: Sequence[Unpublished]) -> None:
        """These files are written; a submission changed again since it was read stays marked
        (another process may have committed a change meanwhile)."""
        if not written:
            return
        with self._transaction():
            self._db.executemany(
                "DELETE FROM unpublished WHERE submission = ? AND marked = ?",
                [(w.submission, w.marked) for w in written],
            )

    def submission(self, submission_id: str) -> Submission | None:
        row = self._db.execute(
            "SELECT record FROM submissions WHERE id = ?", (submission_id,)
        ).fetchone()
        return submission_of(row[0]) if row else None

    def raw_email_of(self, submission_id: str) -> str | None:
        """The hash of the stored raw email a submission came from."""
        row = self._db.execute(
            "SELECT m.sha256 FROM submissions s JOIN messages m ON m.id = s.message WHERE s.id = ?",
            (submission_id,),
        ).fetchone()
        return str(row[0]) if row else None
