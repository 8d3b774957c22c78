"""What every rule sees, and how a finding is made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pipeline.config import Config
from pipeline.models import ExtractedDocument, Finding, Severity
from schemas import FORMS, specs

SEVERITY = {
    "missing_field": Severity.error,
    "invalid_value": Severity.error,
    "short_narrative": Severity.warning,
    "missing_document": Severity.error,
    "unknown_setting": Severity.error,
    "invalid_upn": Severity.error,
    "upn_other_la": Severity.info,
    "age_out_of_range": Severity.error,
    "year_group_mismatch": Severity.warning,
    "identity_mismatch": Severity.error,
    "no_consent": Severity.error,
    "consent_stale": Severity.warning,
    "date_in_future": Severity.error,
    "date_order": Severity.error,
    "funding_period_over_year": Severity.warning,
    "few_apdr_cycles": Severity.warning,
    "line_cost_mismatch": Severity.warning,
    "total_mismatch": Severity.error,
    "amount_mismatch": Severity.error,
    "weeks_over_school_year": Severity.warning,
    "over_setting_cap": Severity.error,
    "cost_below_request": Severity.error,
    "ineligible_capital": Severity.error,
    "completion_after_deadline": Severity.error,
    "after_round_deadline": Severity.error,
    "before_round_opens": Severity.info,
    "not_mainstream": Severity.warning,
    "budget_exceeded": Severity.warning,
    "late_for_meeting": Severity.info,
    "no_meeting_scheduled": Severity.warning,
    "unknown_sender": Severity.error,
    "dmarc_failed": Severity.error,
    "sender_setting_mismatch": Severity.warning,
    "duplicate_submission": Severity.info,
    "superseded": Severity.info,
    "unreadable_document": Severity.error,
    "scanned_document": Severity.warning,
    "blocked_file_type": Severity.error,
    "unrecognised_document": Severity.info,
    "damaged_email": Severity.warning,  # added: the email itself malformed, parts may be lost
    "email_too_large": Severity.error,  # added: over intake.max_email_mb, stored, never parsed
    "signature_missing": Severity.error,
}


@dataclass(frozen=True)
class EarlierBid:
    """A capital bid received before this one in the same round (from the register)."""

    setting: str
    project_title: str
    amount: float
    sha256: str = ""


@dataclass(frozen=True)
class RuleContext:
    config: Config
    received: date
    # The round's earlier capital bids, oldest first; filled by the flow from the register
    # (pipeline.rules.capital.earlier_bids). Empty: only this email's bids are counted.
    capital_bids_before: tuple[EarlierBid, ...] = ()


def finding(
    code: str, message: str, *, field: str | None = None, document: str | None = None
) -> Finding:
    return Finding(
        code=code, severity=SEVERITY[code], field=field, document=document, message=message
    )


def label_of(kind: str, field_id: str) -> str:
    form = FORMS.get(kind)
    if form is None:
        return field_id.replace("_", " ")
    spec = next((s for s in specs(form) if s.id == field_id), None)
    return spec.label if spec else field_id.replace("_", " ")


def form_title(kind: str) -> str:
    form = FORMS.get(kind)
    return form.title if form else "document"


def first(documents: Sequence[ExtractedDocument], kind: str) -> ExtractedDocument | None:
    return next((d for d in documents if d.kind == kind), None)


def value(document: ExtractedDocument | None, field_id: str) -> Any:
    return document.value(field_id) if document else None


def money(amount: float) -> str:
    return f"-£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


def uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")
