"""Which submissions' JSON and reply drafts are still to be written, and their records.

The transaction that records (or changes) a submission also marks it unpublished; its files
are written from the committed record and only then is the mark removed. A crash in between
leaves the mark, and the next run writes the files: no JSON ever speaks for an email the
register does not know, and none is missing or stale for one it does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from pipeline.models import Status, Submission
from pipeline.register.base import Connection
from pipeline.retype import retyped


def mark_unpublished(db: sqlite3.Connection, submissions: Iterable[Submission]) -> None:
    """Mark submissions to be written out; a new incomplete one from a sender also wants its
    reply draft, which a later change (a refresh) does not cancel."""
    db.executemany(
        "INSERT INTO unpublished (submission, reply) VALUES (?, ?) ON CONFLICT(submission) "
        "DO UPDATE SET reply = MAX(reply, excluded.reply)",
        [(s.submission_id, int(needs_reply(s))) for s in submissions],
    )


def mark_changed(db: sqlite3.Connection, submissions: Iterable[Submission]) -> None:
    """Mark changed submissions for their JSON to be written again (no new reply draft)."""
    db.executemany(
        "INSERT INTO unpublished (submission) VALUES (?) ON CONFLICT(submission) DO NOTHING",
        [(s.submission_id,) for s in submissions],
    )


def needs_reply(submission: Submission) -> bool:
    return submission.status is Status.incomplete and bool(submission.sender)


class OutputQueries(Connection):
    def unpublished(self) -> list[tuple[str, bool]]:
        """The submissions whose files are still to be written, and whether with a reply."""
        rows = self._db.execute("SELECT submission, reply FROM unpublished ORDER BY rowid")
        return [(str(submission), bool(reply)) for submission, reply in rows]

    def mark_published(self, submission_id: str) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM unpublished WHERE submission = ?", (submission_id,))

    def submission(self, submission_id: str) -> Submission | None:
        row = self._db.execute(
            "SELECT record FROM submissions WHERE id = ?", (submission_id,)
        ).fetchone()
        return retyped(Submission.model_validate_json(row[0])) if row else None

    def raw_email_of(self, submission_id: str) -> str | None:
        """The hash of the stored raw email a submission came from."""
        row = self._db.execute(
            "SELECT m.sha256 FROM submissions s JOIN messages m ON m.id = s.message WHERE s.id = ?",
            (submission_id,),
        ).fetchone()
        return str(row[0]) if row else None
