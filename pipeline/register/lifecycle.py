"""A case's states over the year, each change stored with when and who made it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from pipeline.register.base import Connection, now


class CaseState(StrEnum):
    """One lifecycle for every case; a decided case is in one of the four decision states.
    A declined case closes at the meeting that declined it, a recommended capital bid when
    its evaluation of impact is recorded; agreed funding is under review when its review form
    arrives (the panel's decision after the review is not recorded here yet)."""

    received = "received"
    incomplete = "incomplete"
    ready = "ready"
    listed = "listed"
    agreed = "agreed"
    agreed_with_changes = "agreed with changes"
    declined = "declined"
    deferred = "deferred"
    under_review = "under review"
    closed = "closed"


DEFERRED = CaseState.deferred.value
CLOSED = CaseState.closed.value
LISTED = CaseState.listed.value
INTAKE = "pipeline"  # who made the intake's changes
INTAKE_STATES = {"incomplete": CaseState.incomplete, "complete": CaseState.ready}


class StateChange(NamedTuple):
    state: str  # a CaseState value
    meeting: date | None
    reason: str
    at: datetime
    by: str


class LifecycleQueries(Connection):
    def record_state(
        self, case_ref: str, state: str, meeting: date | None, reason: str, by: str
    ) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO case_states (case_ref, state, meeting, reason, at, by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (case_ref, str(state), meeting.isoformat() if meeting else None, reason, now(), by),
            )

    def case_states(self, case_ref: str) -> list[StateChange]:
        """Every state the case has been in, oldest first."""
        rows = self._db.execute(
            "SELECT state, meeting, reason, at, by FROM case_states WHERE case_ref = ? ORDER BY id",
            (case_ref,),
        )
        return [
            StateChange(
                str(state),
                date.fromisoformat(meeting) if meeting else None,
                str(reason),
                datetime.fromisoformat(at),
                str(by),
            )
            for state, meeting, reason, at, by in rows
        ]

    def close_case(self, case_ref: str, meeting: date | None, reason: str, by: str) -> None:
        """The case's last state: nothing more is to happen to it (declined, or a capital
        bid's impact evaluated). Once: closing a closed case again records nothing."""
        with self._transaction():
            last = self._db.execute(
                "SELECT state FROM case_states WHERE case_ref = ? ORDER BY id DESC LIMIT 1",
                (case_ref,),
            ).fetchone()
            if last is None or last[0] != CLOSED:
                self.record_state(case_ref, CLOSED, meeting, reason, by)

    def deferred_at(self, meeting: date) -> list[str]:
        """The cases deferred at the meeting, wherever they are listed now."""
        rows = self._db.execute(
            "SELECT DISTINCT case_ref FROM case_states WHERE state = ? AND meeting = ?",
            (DEFERRED, meeting.isoformat()),
        )
        return [str(case_ref) for (case_ref,) in rows]

    def relist(self, case_ref: str, meeting: date, by: str) -> None:
        """List a deferred case at ``meeting``: like the admin's move, intake keeps it there."""
        with self._transaction():
            self._db.execute(
                "UPDATE cases SET meeting = ?, meeting_moved_by = ?, meeting_moved_at = ? "
                "WHERE case_ref = ?",
                (meeting.isoformat(), by, now(), case_ref),
            )
            self.record_state(case_ref, LISTED, meeting, "deferred from an earlier meeting", by)
            self.audit(by, "relist_deferred", f"{case_ref} to meeting {meeting.isoformat()}")
