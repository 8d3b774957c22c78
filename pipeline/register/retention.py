"""Register queries for the retention policy: closed cases, and removing their personal data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pipeline.models import Status, Submission
from pipeline.register.base import Connection, moment_column
from pipeline.register.outputs import mark_changed
from pipeline.register.records import submission_of

REMOVED = "(removed under the retention policy)"


class RetentionQueries(Connection):
    def case_activity(self) -> list[tuple[str, date, date | None]]:
        """Each case with its last submission's date and, if decided, when it closes: the
        review date of agreed funding, else the meeting that decided it."""
        rows = self._db.execute(
            "SELECT c.case_ref, MAX(s.received_at), "
            "COALESCE(d.review_date, d.meeting) FROM cases c "
            "JOIN submissions s ON s.case_ref = c.case_ref "
            "LEFT JOIN decisions d ON d.case_ref = c.case_ref "
            "WHERE c.identity IS NOT NULL OR c.setting IS NOT NULL GROUP BY c.case_ref"
        )
        return [
            (
                str(ref),
                date.fromisoformat(str(last)[:10]),
                date.fromisoformat(str(closes)) if closes else None,
            )
            for ref, last, closes in rows
        ]

    def case_message_blobs(self, case_ref: str) -> tuple[list[str], list[str]]:
        """The message ids of a case and every blob (raw emails, attachments) they refer to."""
        messages = [
            str(m)
            for (m,) in self._db.execute(
                "SELECT DISTINCT message FROM submissions WHERE case_ref = ?", (case_ref,)
            )
        ]
        blobs = [
            str(sha)
            for (sha,) in self._db.execute(
                "SELECT sha256 FROM messages WHERE id IN (SELECT message FROM submissions "
                "WHERE case_ref = ?) UNION SELECT sha256 FROM documents WHERE message IN "
                "(SELECT message FROM submissions WHERE case_ref = ?)",
                (case_ref, case_ref),
            )
        ]
        return messages, blobs

    def blob_still_needed(self, sha256: str, dropping: Sequence[str]) -> bool:
        marks = ",".join("?" * len(dropping)) or "''"
        row = self._db.execute(
            f"SELECT 1 FROM documents WHERE sha256 = ? AND message NOT IN ({marks}) "
            f"UNION SELECT 1 FROM messages WHERE sha256 = ? AND id NOT IN ({marks}) LIMIT 1",
            (sha256, *dropping, sha256, *dropping),
        ).fetchone()
        return row is not None

    def quarantined_before(self, before: datetime) -> list[str]:
        """The quarantined emails (never opened, no case) received before ``before``."""
        rows = self._db.execute(
            "SELECT id FROM messages WHERE status = ? AND received_at < ? "
            "AND (subject IS NULL OR subject != ?) ORDER BY received_at",
            (Status.quarantined.value, moment_column(before), REMOVED),
        )
        return [str(m) for (m,) in rows]

    def message_submissions(self, message: str) -> list[Submission]:
        rows = self._db.execute("SELECT record FROM submissions WHERE message = ?", (message,))
        return [submission_of(record) for (record,) in rows]

    def message_blobs(self, messages: Sequence[str]) -> list[str]:
        """The raw emails and attachments of the messages."""
        marks = ",".join("?" * len(messages)) or "''"
        rows = self._db.execute(
            f"SELECT sha256 FROM messages WHERE id IN ({marks}) "
            f"UNION SELECT sha256 FROM documents WHERE message IN ({marks})",
            (*messages, *messages),
        )
        return [str(sha) for (sha,) in rows]

    def case_meetings(self, case_ref: str) -> list[date]:
        """Every meeting the case was on the agenda of or decided at."""
        rows = self._db.execute(
            "SELECT meeting FROM submissions WHERE case_ref = ? AND meeting IS NOT NULL "
            "UNION SELECT meeting FROM cases WHERE case_ref = ? AND meeting IS NOT NULL "
            "UNION SELECT meeting FROM decisions WHERE case_ref = ?",
            (case_ref, case_ref, case_ref),
        )
        return [date.fromisoformat(str(day)[:10]) for (day,) in rows]

    def anonymise_quarantined(
        self, submissions: Sequence[Submission], messages: Sequence[str], by: str
    ) -> None:
        with self._transaction():
            self._anonymise(submissions, messages)
            self.audit(by, "retention", f"{len(messages)} quarantined email(s) removed")

    def anonymise_case(
        self, case_ref: str, submissions: Sequence[Submission], messages: Sequence[str], by: str
    ) -> None:
        """Keep the figures (request type, setting, amounts, status, meeting, decision), drop
        the rest, in one transaction; the JSON is rewritten from what it commits."""
        with self._transaction():
            self._anonymise(submissions, messages)
            self._db.execute("UPDATE cases SET identity = NULL WHERE case_ref = ?", (case_ref,))
            self._db.execute(
                "UPDATE decisions SET actions = '', imported_from = ? WHERE case_ref = ?",
                (REMOVED, case_ref),
            )
            self._db.execute(
                "UPDATE accepted_findings SET reason = ?, document = '' WHERE case_ref = ?",
                (REMOVED, case_ref),
            )
            # the reasons stored with case states are free text that may name the pupil
            self._db.execute("UPDATE case_states SET reason = '' WHERE case_ref = ?", (case_ref,))
            self.audit(by, "retention", f"personal data of {case_ref} removed")

    def _anonymise(self, submissions: Sequence[Submission], messages: Sequence[str]) -> None:
        for submission in submissions:
            self._db.execute(
                "UPDATE submissions SET pupil_initials = NULL, record = ? WHERE id = ?",
                (submission.model_dump_json(), submission.submission_id),
            )
            self._db.execute(
                "UPDATE findings SET message = ? WHERE submission = ?",
                (REMOVED, submission.submission_id),
            )
        for message in messages:
            self._db.execute(
                "UPDATE messages SET sender = NULL, subject = ?, message_id = NULL, "
                "source_ref = ? WHERE id = ?",
                (REMOVED, REMOVED, message),
            )
            self._db.execute(
                "UPDATE documents SET filename = ? WHERE message = ?", (REMOVED, message)
            )
        mark_changed(self._db, submissions)  # the JSON is rewritten from what this commits

    def compact(self) -> None:
        """Rewrite the file so removed data is gone from its free pages too, and empty the
        write-ahead log (VACUUM itself goes through it)."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._db.execute("VACUUM")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
