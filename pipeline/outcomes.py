"""What validating a case gives and what the panel decided: the models the register keeps
beside the submissions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pipeline.models import Finding, Frozen, RequestType, Status


class CaseOutcome(Frozen):
    """What validating a case gives: its request, findings, status and meeting."""

    request: RequestType | None
    findings: tuple[Finding, ...]
    status: Status
    meeting: date | None
    setting: str | None
    initials: str | None
    arrived: date


# --- the panel's decisions -----------------------------------------------------------------


class DecisionKind(StrEnum):
    agreed = "Agreed"
    agreed_with_changes = "Agreed with changes"
    declined = "Declined"
    deferred = "Deferred"

    @property
    def commits_money(self) -> bool:
        return self in (DecisionKind.agreed, DecisionKind.agreed_with_changes)


class Decision(Frozen):
    case_ref: str
    meeting: date
    decision: DecisionKind
    amount_agreed: Decimal | None = None
    review_date: date | None = None
    actions: str = ""
