"""What the mailbox side remembers between polls: failed attempts per message (so a poison
email is quarantined instead of retried for ever) and each reply draft's journey to the
mailbox (so a draft is made again after a kill, retried after a refusal, and never doubled)."""

from __future__ import annotations

from enum import StrEnum

from pipeline.models import Submission
from pipeline.register.base import Connection, now
from pipeline.register.records import submission_of


class DraftState(StrEnum):
    written = "written"  # the .eml is in outbox/replies/; the mailbox has not been asked yet
    saving = "saving"  # handed to the mailbox; whether it kept it is not known
    saved = "saved"  # the mailbox has it
    outbox = "outbox"  # the source has no mailbox (the drop folder): the .eml is the draft


class MailStateQueries(Connection):
    def failed_attempt(self, key: str, error: str) -> int:
        """Count one more failed attempt at the message ``key``; how many there have been."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO mail_attempts VALUES (?, 1, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                "attempts = attempts + 1, last_error = excluded.last_error, "
                "updated_at = excluded.updated_at",
                (key, error, now()),
            )
            row = self._db.execute("SELECT attempts FROM mail_attempts WHERE key = ?", (key,))
            return int(row.fetchone()[0])

    def attempts(self, key: str) -> int:
        row = self._db.execute("SELECT attempts FROM mail_attempts WHERE key = ?", (key,))
        found = row.fetchone()
        return int(found[0]) if found else 0

    def drafts_owed(self, sha256: str) -> list[Submission]:
        """The incomplete submissions of a message (by the hash of its raw bytes) whose reply
        draft is not yet where it belongs: a cheap query once every draft is."""
        rows = self._db.execute(
            "SELECT s.record FROM submissions s JOIN messages m ON s.message = m.id "
            "WHERE m.sha256 = ? AND s.status = 'incomplete' AND m.sender IS NOT NULL "
            "AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.submission = s.id "
            "AND d.state IN ('saved', 'outbox')) ORDER BY s.id",
            (sha256,),
        )
        return [submission_of(record) for (record,) in rows]

    def draft_state(self, submission_id: str) -> DraftState | None:
        row = self._db.execute("SELECT state FROM drafts WHERE submission = ?", (submission_id,))
        found = row.fetchone()
        return DraftState(found[0]) if found else None

    def set_draft_state(
        self, submission_id: str, message_sha256: str, source: str, state: DraftState
    ) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO drafts VALUES (?, ?, ?, ?, ?) ON CONFLICT(submission) DO UPDATE "
                "SET state = excluded.state, source = excluded.source, "
                "updated_at = excluded.updated_at",
                (submission_id, message_sha256, source, state.value, now()),
            )

    def drafts_not_saved(self, source: str) -> list[tuple[str, str, DraftState]]:
        """(submission, message hash, state) of the drafts ``source`` has not confirmed."""
        rows = self._db.execute(
            "SELECT submission, message_sha256, state FROM drafts "
            "WHERE source = ? AND state IN ('written', 'saving') ORDER BY submission",
            (source,),
        )
        return [(str(s), str(m), DraftState(t)) for s, m, t in rows]
