"""Cases: references, who belongs to which, the admin's meeting moves and accepted findings."""

from __future__ import annotations

from datetime import date, datetime

from pipeline.models import Acceptance, Submission
from pipeline.outcomes import CaseOutcome
from pipeline.register.base import now
from pipeline.register.lifecycle import INTAKE, INTAKE_STATES, CaseState, LifecycleQueries
from pipeline.register.records import submission_of


class CaseQueries(LifecycleQueries):
    def case_ref_for(self, submission_id: str, academic_year: str, prefix: str) -> str:
        """A new case for this submission, allocated once and kept across re-runs."""
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
                (case_ref, academic_year, serial, submission_id, now()),
            )
            return case_ref

    def case_exists(self, case_ref: str) -> bool:
        row = self._db.execute("SELECT 1 FROM cases WHERE case_ref = ?", (case_ref,)).fetchone()
        return row is not None

    def case_setting(self, case_ref: str) -> str | None:
        """The setting the case is for, as its forms named it (None until one did)."""
        row = self._db.execute("SELECT setting FROM cases WHERE case_ref = ?", (case_ref,))
        found = row.fetchone()
        return str(found[0]) if found and found[0] else None

    def find_case(self, academic_year: str, identity: str, setting: object) -> str | None:
        """The case this year for the same pupil or project (at the same setting, if known)."""
        query = "SELECT case_ref FROM cases WHERE academic_year = ? AND identity = ?"
        arguments: list[object] = [academic_year, identity]
        if setting:
            query += " AND (setting = ? OR setting IS NULL)"
            arguments.append(str(setting))
        row = self._db.execute(query + " ORDER BY serial LIMIT 1", arguments).fetchone()
        return str(row[0]) if row else None

    def case_submissions(self, case_ref: str, excluding: str = "") -> list[Submission]:
        rows = self._db.execute(
            "SELECT record FROM submissions WHERE case_ref = ? AND id != ? "
            "ORDER BY received_at, id",
            (case_ref, excluding),
        )
        return [submission_of(record) for (record,) in rows]

    def save_case(self, case_ref: str, outcome: CaseOutcome, *, identity: str | None) -> None:
        with self._transaction():
            before = self._case_state(case_ref)
            self._db.execute(
                "UPDATE cases SET request_type = ?, setting = ?, identity = ?, status = ?, "
                "meeting = COALESCE(CASE WHEN meeting_moved_by IS NULL THEN ? END, meeting) "
                "WHERE case_ref = ?",
                (
                    outcome.request.value if outcome.request else None,
                    outcome.setting,
                    identity,
                    outcome.status.value,
                    outcome.meeting.isoformat() if outcome.meeting else None,
                    case_ref,
                ),
            )
            self._record_intake(case_ref, before, self._case_state(case_ref))

    def _case_state(self, case_ref: str) -> tuple[str | None, str | None]:
        row = self._db.execute(
            "SELECT status, meeting FROM cases WHERE case_ref = ?", (case_ref,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def _record_intake(
        self,
        case_ref: str,
        before: tuple[str | None, str | None],
        after: tuple[str | None, str | None],
    ) -> None:
        """Received, then incomplete or ready as the case's status changes, and listed when
        intake assigns it a meeting."""
        (was, was_at), (status, meeting) = before, after
        if was is None:
            self.record_state(case_ref, CaseState.received, None, "", INTAKE)
        if status != was and status in INTAKE_STATES:
            self.record_state(case_ref, INTAKE_STATES[status], None, "", INTAKE)
        if meeting and meeting != was_at:
            self.record_state(case_ref, CaseState.listed, date.fromisoformat(meeting), "", INTAKE)

    # --- the admin's decisions about a case -------------------------------------------

    def moved_meeting(self, case_ref: str) -> date | None:
        row = self._db.execute(
            "SELECT meeting FROM cases WHERE case_ref = ? AND meeting_moved_by IS NOT NULL",
            (case_ref,),
        ).fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def move_case(self, case_ref: str, meeting: date, by: str) -> None:
        with self._transaction():
            self._db.execute(
                "UPDATE cases SET meeting = ?, meeting_moved_by = ?, meeting_moved_at = ? "
                "WHERE case_ref = ?",
                (meeting.isoformat(), by, now(), case_ref),
            )
            self.audit(by, "move_case", f"{case_ref} to meeting {meeting.isoformat()}")

    def accepted_findings(self, case_ref: str) -> dict[tuple[str, str, str], Acceptance]:
        rows = self._db.execute(
            "SELECT code, field, document, accepted_by, accepted_at, reason "
            "FROM accepted_findings WHERE case_ref = ?",
            (case_ref,),
        )
        return {
            (code, field, document): Acceptance(by=by, at=datetime.fromisoformat(at), reason=why)
            for code, field, document, by, at, why in rows
        }

    def accept_finding(
        self, case_ref: str, key: tuple[str, str, str], reason: str, by: str
    ) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO accepted_findings VALUES (?, ?, ?, ?, ?, ?, ?)",
                (case_ref, *key, reason, by, now()),
            )
            self.audit(by, "accept_finding", f"{case_ref} {key[0]} {key[1]}".strip())
