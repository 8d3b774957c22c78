"""The register's queries. One transaction records everything one message led to."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pipeline.atomic import ensure_private_dir
from pipeline.errors import RegisterError
from pipeline.models import Message, Submission
from pipeline.register.migrations import migrate


class Register:
    def __init__(self, path: Path) -> None:
        ensure_private_dir(path.parent)
        try:
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self.version = migrate(self._db)
        except sqlite3.DatabaseError as exc:
            raise RegisterError(f"the register {path} cannot be opened: {exc}") from None
        path.chmod(0o600)

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # --- what has been seen -----------------------------------------------------------

    def seen_message(self, sha256: str) -> bool:
        row = self._db.execute("SELECT 1 FROM messages WHERE sha256 = ?", (sha256,)).fetchone()
        return row is not None

    def message_status(self, sha256: str) -> str | None:
        """The status recorded for a message, by the hash of its raw bytes."""
        row = self._db.execute("SELECT status FROM messages WHERE sha256 = ?", (sha256,)).fetchone()
        return str(row[0]) if row else None

    # --- mailbox sync state -----------------------------------------------------------

    def source_state(self, source: str) -> str | None:
        """What a mailbox source saved about how far it has read (a sync state, UIDs ...)."""
        row = self._db.execute("SELECT state FROM source_state WHERE source = ?", (source,))
        found = row.fetchone()
        return str(found[0]) if found else None

    def save_source_state(self, source: str, state: str) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO source_state VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE "
                "SET state = excluded.state, updated_at = excluded.updated_at",
                (source, state, _now()),
            )

    def earlier_message_with_document(self, sha256: str, not_message: str) -> str | None:
        row = self._db.execute(
            "SELECT message FROM documents WHERE sha256 = ? AND message != ? "
            "ORDER BY rowid LIMIT 1",
            (sha256, not_message),
        ).fetchone()
        return str(row[0]) if row else None

    # --- cases ------------------------------------------------------------------------

    def case_ref_for(self, submission_id: str, academic_year: str, prefix: str) -> str:
        """The submission's case reference, allocated once and kept across re-runs."""
        with self._transaction():
            row = self._db.execute(
                "SELECT case_ref FROM cases WHERE first_submission = ?", (submission_id,)
            ).fetchone()
            if row:
                return str(row[0])
            serial = int(
                self._db.execute(
                    "SELECT COALESCE(MAX(serial), 0) + 1 FROM cases WHERE academic_year = ?",
                    (academic_year,),
                ).fetchone()[0]
            )
            case_ref = f"{prefix}-{academic_year}-{serial:04d}"
            self._db.execute(
                "INSERT INTO cases (case_ref, academic_year, serial, first_submission, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (case_ref, academic_year, serial, submission_id, _now()),
            )
            return case_ref

    # --- recording a processed message ------------------------------------------------

    def record(self, message: Message, source_ref: str, submission: Submission) -> None:
        """Everything one message led to, in one transaction: it is processed once this commits."""
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message.id,
                    message.sha256,
                    message.source,
                    source_ref,
                    message.message_id,
                    message.sender,
                    message.subject,
                    message.received_at.isoformat(),
                    submission.status.value,
                    _now(),
                ),
            )
            self._db.execute("DELETE FROM documents WHERE message = ?", (message.id,))
            self._db.executemany(
                "INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                [
                    (message.id, i, d.sha256, d.filename, d.kind)
                    for i, d in enumerate(submission.documents)
                ],
            )
            self._record_submission(message.id, submission)

    def _record_submission(self, message_id: str, submission: Submission) -> None:
        self._db.execute("DELETE FROM findings WHERE submission = ?", (submission.submission_id,))
        self._db.execute(
            "INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                submission.submission_id,
                message_id,
                submission.case_ref,
                submission.request_type.value if submission.request_type else None,
                submission.status.value,
                submission.meeting.isoformat() if submission.meeting else None,
                submission.setting,
                submission.pupil_initials,
                submission.received_at.isoformat(),
                submission.model_dump_json(),
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
            for table, column in (
                ("findings", "submission"),
                ("submissions", "message"),
                ("documents", "message"),
                ("messages", "id"),
            ):
                if table == "findings":
                    self._db.execute(
                        "DELETE FROM findings WHERE submission IN "
                        "(SELECT id FROM submissions WHERE message = ?)",
                        (message_id,),
                    )
                else:
                    self._db.execute(f"DELETE FROM {table} WHERE {column} = ?", (message_id,))

    # --- reading back -----------------------------------------------------------------

    def submissions(self) -> Iterator[Submission]:
        for (record,) in self._db.execute(
            "SELECT record FROM submissions ORDER BY received_at, id"
        ):
            yield Submission.model_validate_json(record)

    def counts(self) -> dict[str, int]:
        return {
            table: int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("messages", "documents", "submissions", "findings", "cases")
        }

    def integrity_ok(self) -> bool:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0]) == "ok"

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self._db.execute("ROLLBACK" if kind else "COMMIT")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
