"""The rule codes of the SPEC and the three this project adds, each with its severity.

``dmarc_failed`` (quarantined), ``before_round_opens`` (a capital bid sent before the round
opened) and ``damaged_email`` (the email itself malformed or cut short, so part of it may be
missing) are added to the SPEC's list, which allows new ones.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class RuleCode(StrEnum):
    """A finding's code; ``code.severity`` is how much it matters."""

    missing_field = "missing_field"
    invalid_value = "invalid_value"
    short_narrative = "short_narrative"
    missing_document = "missing_document"
    unknown_setting = "unknown_setting"
    invalid_upn = "invalid_upn"
    upn_other_la = "upn_other_la"
    age_out_of_range = "age_out_of_range"
    year_group_mismatch = "year_group_mismatch"
    identity_mismatch = "identity_mismatch"
    no_consent = "no_consent"
    consent_stale = "consent_stale"
    date_in_future = "date_in_future"
    date_order = "date_order"
    funding_period_over_year = "funding_period_over_year"
    few_apdr_cycles = "few_apdr_cycles"
    line_cost_mismatch = "line_cost_mismatch"
    total_mismatch = "total_mismatch"
    amount_mismatch = "amount_mismatch"
    weeks_over_school_year = "weeks_over_school_year"
    over_setting_cap = "over_setting_cap"
    cost_below_request = "cost_below_request"
    ineligible_capital = "ineligible_capital"
    completion_after_deadline = "completion_after_deadline"
    after_round_deadline = "after_round_deadline"
    before_round_opens = "before_round_opens"
    not_mainstream = "not_mainstream"
    budget_exceeded = "budget_exceeded"
    late_for_meeting = "late_for_meeting"
    no_meeting_scheduled = "no_meeting_scheduled"
    unknown_sender = "unknown_sender"
    dmarc_failed = "dmarc_failed"
    sender_setting_mismatch = "sender_setting_mismatch"
    duplicate_submission = "duplicate_submission"
    superseded = "superseded"
    unreadable_document = "unreadable_document"
    scanned_document = "scanned_document"
    blocked_file_type = "blocked_file_type"
    unrecognised_document = "unrecognised_document"
    damaged_email = "damaged_email"
    signature_missing = "signature_missing"

    @property
    def severity(self) -> Severity:
        return _SEVERITY[self]


_E, _W, _I = Severity.error, Severity.warning, Severity.info
_SEVERITY: dict[RuleCode, Severity] = {
    RuleCode.missing_field: _E,
    RuleCode.invalid_value: _E,
    RuleCode.short_narrative: _W,
    RuleCode.missing_document: _E,
    RuleCode.unknown_setting: _E,
    RuleCode.invalid_upn: _E,
    RuleCode.upn_other_la: _I,
    RuleCode.age_out_of_range: _E,
    RuleCode.year_group_mismatch: _W,
    RuleCode.identity_mismatch: _E,
    RuleCode.no_consent: _E,
    RuleCode.consent_stale: _W,
    RuleCode.date_in_future: _E,
    RuleCode.date_order: _E,
    RuleCode.funding_period_over_year: _W,
    RuleCode.few_apdr_cycles: _W,
    RuleCode.line_cost_mismatch: _W,
    RuleCode.total_mismatch: _E,
    RuleCode.amount_mismatch: _E,
    RuleCode.weeks_over_school_year: _W,
    RuleCode.over_setting_cap: _E,
    RuleCode.cost_below_request: _E,
    RuleCode.ineligible_capital: _E,
    RuleCode.completion_after_deadline: _E,
    RuleCode.after_round_deadline: _E,
    RuleCode.before_round_opens: _I,
    RuleCode.not_mainstream: _W,
    RuleCode.budget_exceeded: _W,
    RuleCode.late_for_meeting: _I,
    RuleCode.no_meeting_scheduled: _W,
    RuleCode.unknown_sender: _E,
    RuleCode.dmarc_failed: _E,
    RuleCode.sender_setting_mismatch: _W,
    RuleCode.duplicate_submission: _I,
    RuleCode.superseded: _I,
    RuleCode.unreadable_document: _E,
    RuleCode.scanned_document: _W,
    RuleCode.blocked_file_type: _E,
    RuleCode.unrecognised_document: _I,
    RuleCode.damaged_email: _W,
    RuleCode.signature_missing: _E,
}
