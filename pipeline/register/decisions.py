"""The panel's decisions, imported from the filled decision log, and what they commit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from pipeline.outcomes import Decision, DecisionKind
from pipeline.register.base import now
from pipeline.register.lifecycle import LifecycleQueries
from schemas.money import pennies


class DecisionQueries(LifecycleQueries):
    def save_decisions(
        self,
        decisions: Sequence[Decision],
        source: str,
        by: str,
        relist: Mapping[str, date] | None = None,
    ) -> int:
        """Record a meeting's decisions in one transaction, each as a state of its case; a
        deferred case in ``relist`` is listed at the meeting it names. Returns how many
        changed.

        Importing the same log again changes nothing, nor does an earlier meeting's log
        once a later meeting has decided the case.
        """
        changed = 0
        with self._transaction():
            for decision in decisions:
                if self._same_or_superseded(decision):
                    continue
                self._db.execute(
                    "INSERT OR REPLACE INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        decision.case_ref,
                        decision.meeting.isoformat(),
                        decision.decision.value,
                        _stored(decision.amount_agreed),
                        decision.review_date.isoformat() if decision.review_date else None,
                        decision.actions,
                        source,
                        now(),
                    ),
                )
                changed += 1
                self._record_decided(decision, by, (relist or {}).get(decision.case_ref))
            if changed:
                self.audit(by, "import_decisions", f"{changed} decision(s) from {source}")
        return changed

    def _same_or_superseded(self, decision: Decision) -> bool:
        recorded = self.decision(decision.case_ref)
        return recorded is not None and (
            recorded == decision or recorded.meeting > decision.meeting
        )

    def _record_decided(self, decision: Decision, by: str, next_meeting: date | None) -> None:
        state = decision.decision.value.lower()
        self.record_state(decision.case_ref, state, decision.meeting, decision.actions, by)
        if decision.decision is DecisionKind.deferred and next_meeting is not None:
            self.relist(decision.case_ref, next_meeting, by)
        if decision.decision is DecisionKind.declined:
            self.close_case(decision.case_ref, decision.meeting, "declined at the meeting", by)

    def decision(self, case_ref: str) -> Decision | None:
        row = self._db.execute(
            "SELECT case_ref, meeting, decision, amount_agreed, review_date, actions "
            "FROM decisions WHERE case_ref = ?",
            (case_ref,),
        ).fetchone()
        return _decision(row) if row else None

    def decisions(self) -> list[Decision]:
        rows = self._db.execute(
            "SELECT case_ref, meeting, decision, amount_agreed, review_date, actions "
            "FROM decisions ORDER BY meeting, case_ref"
        )
        return [_decision(row) for row in rows]

    def listed_at(self, case_ref: str) -> date | None:
        """The meeting the case is listed at now."""
        row = self._db.execute("SELECT meeting FROM cases WHERE case_ref = ?", (case_ref,))
        meeting = (row.fetchone() or (None,))[0]
        return date.fromisoformat(str(meeting)) if meeting else None

    def cases_for_meeting(self, meeting: date) -> list[str]:
        rows = self._db.execute(
            "SELECT case_ref FROM cases WHERE meeting = ? AND status IS NOT NULL ORDER BY serial",
            (meeting.isoformat(),),
        )
        return [str(case_ref) for (case_ref,) in rows]


def _decision(row: Sequence[object]) -> Decision:
    case_ref, meeting, kind, amount, review, actions = row
    return Decision(
        case_ref=str(case_ref),
        meeting=date.fromisoformat(str(meeting)),
        decision=DecisionKind(str(kind)),
        amount_agreed=pennies(Decimal(str(amount))) if amount is not None else None,
        review_date=date.fromisoformat(str(review)) if review else None,
        actions=str(actions or ""),
    )


def _stored(amount: Decimal | None) -> float | None:
    """An amount for the REAL column: pennies are exact in a double and read back exactly."""
    return float(amount) if amount is not None else None
