"""A case reference quoted in an email is trusted only from the case's own setting (or the
council): anyone else quoting it is held in quarantine, and the case is left as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox
from testkit.samples import sample
from testkit.samples.case import SampleReferral
from testkit.samples.email_message import render_email
from testkit.samples.follow_up import follow_up


def run(config: Config) -> None:
    with open_context(config) as ctx:
        run_inbox(ctx)


def records(config: Config) -> dict[str, dict[str, Any]]:
    folder = config.paths.outbox / "submissions"
    found = (json.loads(path.read_text()) for path in sorted(folder.iterdir()))
    return {r["submission_id"]: r for r in found}


def codes(record: dict[str, Any]) -> set[str]:
    return {f["code"] for f in record["findings"]}


def drafts_to(config: Config, address: str) -> list[Path]:
    replies = config.paths.outbox / "replies"
    files = replies.rglob("*.eml") if replies.exists() else iter(())
    return [p for p in files if address.encode() in p.read_bytes()]


def first_referral(config: Config) -> tuple[SampleReferral, dict[str, Any]]:
    """A referral sent without its provision map: an incomplete case."""
    referral = sample(1, "missing_document", config, seed=21)
    assert isinstance(referral, SampleReferral)
    (config.paths.inbox / "001-referral.eml").write_bytes(render_email(referral))
    run(config)
    (record,) = records(config).values()
    assert record["status"] == "incomplete"
    return referral, record


def other_setting_address(config: Config, own_setting: str) -> str:
    other = next(s for s in config.settings if s.name != own_setting and s.domains)
    return f"e.intruder@{other.domains[0]}"


def sent_by(referral: SampleReferral, address: str, **changes: Any) -> SampleReferral:
    return referral.model_copy(update={"sender": address, "sender_name": "Eve", **changes})


def intruding_email(referral: SampleReferral, case_ref: str, where: str, address: str) -> bytes:
    """A reply from ``address`` quoting the case in its subject or body, the form attached."""
    intruder = sent_by(referral, address)
    if where == "subject":
        return follow_up(intruder, case_ref=case_ref, send_form=True)
    email = follow_up(intruder, case_ref=None, send_form=True)
    quoted = email.replace(b"Apologies, here is", f"Case reference: {case_ref}. Here is".encode())
    assert quoted != email
    return quoted


@pytest.mark.parametrize("where", ["subject", "body"])
def test_another_settings_sender_quoting_a_case_reference_is_quarantined(
    config: Config, where: str
) -> None:
    referral, first = first_referral(config)
    address = other_setting_address(config, referral.setting)
    email = intruding_email(referral, first["case_ref"], where, address)
    (config.paths.inbox / "002-intruder.eml").write_bytes(email)
    run(config)
    found = records(config)
    (intruder,) = (r for r in found.values() if r["sender"] == address)
    assert intruder["status"] == "quarantined" and intruder["case_ref"] is None
    assert "case_reference_not_senders" in codes(intruder)


def test_a_quarantined_quote_leaves_the_case_as_it_was(config: Config) -> None:
    referral, first = first_referral(config)
    address = other_setting_address(config, referral.setting)
    email = intruding_email(referral, first["case_ref"], "subject", address)
    (config.paths.inbox / "002-intruder.eml").write_bytes(email)
    run(config)
    case = [r for r in records(config).values() if r["case_ref"] == first["case_ref"]]
    assert [r["submission_id"] for r in case] == [first["submission_id"]]
    assert "superseded" not in codes(case[0]) and case[0]["status"] == "incomplete"


def test_no_reply_draft_goes_to_a_sender_quoting_another_settings_case(config: Config) -> None:
    referral, first = first_referral(config)
    address = other_setting_address(config, referral.setting)
    email = intruding_email(referral, first["case_ref"], "subject", address)
    (config.paths.inbox / "002-intruder.eml").write_bytes(email)
    run(config)
    assert drafts_to(config, address) == []


def test_a_note_without_attachments_quoting_another_settings_case_is_not_joined(
    config: Config,
) -> None:
    referral, first = first_referral(config)
    address = other_setting_address(config, referral.setting)
    note = sent_by(referral, address, include_form=False, include_map=False)
    (config.paths.inbox / "002-note.eml").write_bytes(follow_up(note, case_ref=first["case_ref"]))
    run(config)
    (intruder,) = (r for r in records(config).values() if r["sender"] == address)
    assert intruder["case_ref"] is None and intruder["status"] == "quarantined"


def test_the_council_quoting_a_case_reference_joins_the_case(config: Config) -> None:
    referral, first = first_referral(config)
    council = f"admin@{config.senders.accept_domains[0]}"
    forwarded = follow_up(sent_by(referral, council), case_ref=first["case_ref"])
    (config.paths.inbox / "002-forwarded.eml").write_bytes(forwarded)
    run(config)
    (joined,) = (r for r in records(config).values() if r["sender"] == council)
    assert joined["case_ref"] == first["case_ref"] and joined["status"] == "complete"


def test_the_cases_own_setting_quoting_its_reference_still_joins(config: Config) -> None:
    referral, first = first_referral(config)
    colleague = f"office@{referral.sender.rpartition('@')[2]}"
    email = follow_up(sent_by(referral, colleague), case_ref=first["case_ref"])
    (config.paths.inbox / "002-colleague.eml").write_bytes(email)
    run(config)
    (joined,) = (r for r in records(config).values() if r["sender"] == colleague)
    assert joined["case_ref"] == first["case_ref"] and joined["status"] == "complete"
