"""Messages, their documents and the submissions they led to."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from pipeline.models import Message, RequestType, Status, Submission
from pipeline.register.base import moment_column, now
from pipeline.register.outputs import OutputQueries, mark_changed
from pipeline.register.records import StoredRecord

RECORD_CACHE = 500  # typed records kept: enough for the capital bids of a round


class MessageQueries(OutputQueries):
    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._records: dict[bytes, Submission] = {}

    def seen_message(self, sha256: str) -> bool:
        row = self._db.execute("SELECT 1 FROM messages WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None

    def message_status(self, sha256: str) -> str | None:
        """The status recorded for a message, by the hash of its raw bytes."""
        row = self._db.execute("SELECT status FROM messages WHERE sha256 = ?", (sha256,)).fetchone()
        return str(row[0]) if row else None

    def earlier_message_with_document(self, sha256: str, not_message: str) -> str | None:
        row = self._db.execute(
            "SELECT message FROM documents WHERE sha256 = ? AND message != ? "
            "ORDER BY rowid LIMIT 1",
            (sha256, not_message),
        ).fetchone()
        return str(row[0]) if row else None

    def record(
        self,
        message: Message,
        source_ref: str,
        submissions: Sequence[Submission],
        refreshed: Sequence[Submission] = (),
    ) -> None:
        """Everything one message led to, in one transaction: it is processed once this commits.

        ``refreshed`` are earlier submissions of the same cases, brought up to date. All are
        marked for their files to be written from the register once this commits.
        """
        with self._transaction():
            save_message(self._db, message, source_ref, _message_status(submissions))
            self._db.execute("DELETE FROM documents WHERE message = ?", (message.id,))
            documents = [d for s in submissions for d in s.documents]
            self._db.executemany(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                [(message.id, i, d.sha256, d.filename, d.kind) for i, d in enumerate(documents)],
            )
            for submission in submissions:
                self._save_submission(message.id, submission)
            for submission in refreshed:
                self._save_submission(None, submission)
            mark_changed(self._db, (*submissions, *refreshed))

    def refresh_submissions(self, submissions: Sequence[Submission]) -> None:
        with self._transaction():
            for submission in submissions:
                self._save_submission(None, submission)
            mark_changed(self._db, submissions)

    def _save_submission(self, message_id: str | None, submission: Submission) -> None:
        record = submission.model_dump_json()
        self._recorded_as(submission, record)
        self._db.execute("DELETE FROM findings WHERE submission = ?", (submission.submission_id,))
        if message_id is None:
            self._db.execute(
                "UPDATE submissions SET request_type = ?, status = ?, meeting = ?, setting = ?, "
                "pupil_initials = ?, record = ? WHERE id = ?",
                (
                    *_columns(submission)[1:6],
                    record,
                    submission.submission_id,
                ),
            )
        else:
            self._db.execute(
                "INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    submission.submission_id,
                    message_id,
                    *_columns(submission),
                    record,
                ),
            )
        self._db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    submission.submission_id,
                    i,
                    f.code,
                    f.severity.value,
                    f.field,
                    f.document,
                    f.message,
                )
                for i, f in enumerate(submission.findings)
            ],
        )

    def submissions(self, request_type: RequestType | None = None) -> Iterator[Submission]:
        """Every submission (of one request type, if given), oldest first."""
        query, arguments = "SELECT record FROM submissions", tuple[str, ...]()
        if request_type is not None:
            query, arguments = query + " WHERE request_type = ?", (request_type.value,)
        for (record,) in self._db.execute(query + " ORDER BY received_at, id", arguments):
            yield self._loaded(record)

    def stored_records(self) -> Iterator[StoredRecord]:
        """Every submission's record, untyped, oldest first."""
        query = "SELECT record FROM submissions ORDER BY received_at, id"
        for (record,) in self._db.execute(query):
            yield StoredRecord.of(record)

    def _loaded(self, record: str) -> Submission:
        """A record read back, typed again; unchanged records are not validated twice (each
        capital bid is checked against every earlier bid of the round)."""
        stored = StoredRecord.of(record)
        if stored.digest not in self._records:
            if len(self._records) >= RECORD_CACHE:
                self._records.clear()
            self._records[stored.digest] = stored.submission()
        return self._records[stored.digest]

    def stored_message(self, message_id: str) -> tuple[str, str, str, datetime] | None:
        """The hash, source, source reference and arrival time of a processed message."""
        row = self._db.execute(
            "SELECT sha256, source, source_ref, received_at FROM messages WHERE id = ?",
            (message_id,),
        ).fetchone()
        if row is None:
            return None
        return str(row[0]), str(row[1]), str(row[2]), datetime.fromisoformat(row[3])

    def forget(self, message_id: str) -> None:
        """Drop what a message led to (its case reference stays), so it can be processed again."""
        with self._transaction():
            self._db.execute(
                "DELETE FROM findings WHERE submission IN "
                "(SELECT id FROM submissions WHERE message = ?)",
                (message_id,),
            )
            self._db.execute(
                "DELETE FROM unpublished WHERE submission IN "
                "(SELECT id FROM submissions WHERE message = ?)",
                (message_id,),
            )
            self._db.execute("DELETE FROM submissions WHERE message = ?", (message_id,))
            self._db.execute("DELETE FROM documents WHERE message = ?", (message_id,))
            self._db.execute("DELETE FROM messages WHERE id = ?", (message_id,))


def save_message(db: sqlite3.Connection, message: Message, source_ref: str, status: str) -> None:
    """The message's row, with its status; written again when the message is recorded again."""
    db.execute(
        "INSERT OR REPLACE INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            message.id,
            message.sha256,
            message.source,
            source_ref,
            message.message_id,
            message.sender,
            message.subject,
            moment_column(message.received_at),
            status,
            now(),
        ),
    )


def _columns(submission: Submission) -> tuple[object, ...]:
    """case_ref, request_type, status, meeting, setting, pupil_initials, received_at."""
    return (
        submission.case_ref,
        submission.request_type.value if submission.request_type else None,
        submission.status.value,
        submission.meeting.isoformat() if submission.meeting else None,
        submission.setting,
        submission.pupil_initials,
        moment_column(submission.received_at),
    )


def _message_status(submissions: Sequence[Submission]) -> str:
    statuses = {s.status for s in submissions}
    if Status.quarantined in statuses:
        return Status.quarantined.value
    return (Status.incomplete if Status.incomplete in statuses else Status.complete).value
