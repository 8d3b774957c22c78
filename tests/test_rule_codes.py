"""Every IPN rule code is produced by an email with exactly that defect seeded into it.

One run of the pipeline over generated emails (several clean ones, then one per defect); each
test reads the JSON the pipeline wrote for one email, as the admin's tools would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from records import codes, record_of

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox
from testkit.samples import ALL_DEFECTS, generate

CLEAN = 6
ISSUE_CODES = (
    "missing_field",
    "invalid_value",
    "short_narrative",
    "missing_document",
    "unknown_setting",
    "invalid_upn",
    "upn_other_la",
    "age_out_of_range",
    "year_group_mismatch",
    "identity_mismatch",
    "no_consent",
    "consent_stale",
    "date_in_future",
    "date_order",
    "funding_period_over_year",
    "few_apdr_cycles",
    "line_cost_mismatch",
    "total_mismatch",
    "amount_mismatch",
    "weeks_over_school_year",
    "signature_missing",
    "unknown_sender",
    "duplicate_submission",
    "unreadable_document",
    "blocked_file_type",
    "unrecognised_document",
    "late_for_meeting",
    "no_meeting_scheduled",
)


@pytest.fixture(scope="module")
def records(
    shipped_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """The JSON record of each generated email, keyed by the email's file name."""
    root = tmp_path_factory.mktemp("rules")
    config = configured(shipped_config, root)
    emails = generate(config.paths.inbox, config, seed=7, clean=CLEAN, defects=ALL_DEFECTS)
    with open_context(config) as ctx:
        run_inbox(ctx)
    return {email.name: record_of(email, config.paths.outbox) for email in emails}


def configured(config: Config, root: Path) -> Config:
    (root / "inbox").mkdir(parents=True)
    return config.under(root)


def test_every_issue_code_has_a_sample_defect() -> None:
    assert set(ISSUE_CODES) <= set(ALL_DEFECTS)


@pytest.mark.parametrize("index", range(1, CLEAN + 1))
def test_clean_referral_is_complete_with_no_error_or_warning(
    records: dict[str, dict[str, Any]], index: int
) -> None:
    record = records[f"{index:03d}-clean.eml"]
    assert record["status"] == "complete"
    assert codes(record, "error") == set() and codes(record, "warning") == set()


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_seeded_defect_produces_its_rule_code_and_no_other_error(
    records: dict[str, dict[str, Any]], code: str
) -> None:
    index = CLEAN + 1 + ALL_DEFECTS.index(code)
    record = records[f"{index:03d}-{code}.eml"]
    assert code in codes(record)
    assert codes(record, "error") <= {code}
    finding = next(f for f in record["findings"] if f["code"] == code)
    assert len(finding["message"].split()) >= 8, (
        "the message should be a sentence a school can act on"
    )


def test_unknown_sender_is_quarantined_without_a_case(records: dict[str, dict[str, Any]]) -> None:
    index = CLEAN + 1 + ALL_DEFECTS.index("unknown_sender")
    record = records[f"{index:03d}-unknown_sender.eml"]
    assert record["status"] == "quarantined"
    assert record["case_ref"] is None
    assert record["documents"] and all(
        d["kind"] == "quarantined" and d["fields"] == {} for d in record["documents"]
    )


def test_error_makes_the_submission_incomplete(records: dict[str, dict[str, Any]]) -> None:
    index = CLEAN + 1 + ALL_DEFECTS.index("no_consent")
    assert records[f"{index:03d}-no_consent.eml"]["status"] == "incomplete"


def test_clean_record_has_the_spec_shape_and_normalised_values(
    records: dict[str, dict[str, Any]],
) -> None:
    record = records["001-clean.eml"]
    assert list(record) == [
        "submission_id",
        "case_ref",
        "received_at",
        "sender",
        "request_type",
        "status",
        "meeting",
        "documents",
        "findings",
    ]
    assert record["request_type"] == "ipn" and record["case_ref"].startswith("CC-2526-")
    form = next(d for d in record["documents"] if d["kind"] == "ipn_referral")
    pmap = next(d for d in record["documents"] if d["kind"] == "provision_map")
    assert len(form["fields"]["date_of_birth"]) == 10 and form["fields"]["date_of_birth"][4] == "-"
    assert isinstance(form["fields"]["looked_after"], bool)
    assert abs(form["fields"]["amount_requested"] - pmap["fields"]["amount_requested"]) <= 1
    assert pmap["lines"] and all(isinstance(line["annual_cost"], float) for line in pmap["lines"])
