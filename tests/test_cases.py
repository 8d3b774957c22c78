"""Cases across emails: a follow-up joins its case; several referrals in one email split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox
from testkit.samples import sample
from testkit.samples.email_message import render_email
from testkit.samples.follow_up import combined, follow_up


def run(config: Config) -> None:
    with open_context(config) as ctx:
        run_inbox(ctx)


def records(config: Config) -> list[dict[str, Any]]:
    folder = config.paths.outbox / "submissions"
    return [json.loads(path.read_text()) for path in sorted(folder.iterdir())]


def by_case(config: Config, case_ref: str) -> list[dict[str, Any]]:
    return [r for r in records(config) if r["case_ref"] == case_ref]


def codes(record: dict[str, Any]) -> set[str]:
    return {f["code"] for f in record["findings"]}


def first_email(config: Config, inbox: Path) -> tuple[Any, dict[str, Any]]:
    referral = sample(1, "missing_document", config, seed=21)
    (inbox / "001-referral.eml").write_bytes(render_email(referral))
    run(config)
    (record,) = records(config)
    return referral, record


def test_referral_without_its_provision_map_is_incomplete(config: Config) -> None:
    _, record = first_email(config, config.paths.inbox)
    assert record["status"] == "incomplete" and "missing_document" in codes(record)


def test_follow_up_quoting_the_case_reference_completes_the_case(config: Config) -> None:
    referral, record = first_email(config, config.paths.inbox)
    email = follow_up(referral, case_ref=record["case_ref"])
    (config.paths.inbox / "002-follow-up.eml").write_bytes(email)
    run(config)
    case = by_case(config, record["case_ref"])
    assert len(case) == 2
    assert all(r["status"] == "complete" and "missing_document" not in codes(r) for r in case)


def test_follow_up_without_the_reference_joins_by_setting_and_upn(config: Config) -> None:
    referral, record = first_email(config, config.paths.inbox)
    (config.paths.inbox / "002-follow-up.eml").write_bytes(follow_up(referral, case_ref=None))
    run(config)
    assert {r["case_ref"] for r in records(config)} == {record["case_ref"]}
    assert all(r["status"] == "complete" for r in records(config))


def test_a_later_version_of_the_form_supersedes_the_earlier(config: Config) -> None:
    referral, record = first_email(config, config.paths.inbox)
    again = follow_up(referral, case_ref=record["case_ref"], send_form=True, send_map=True)
    (config.paths.inbox / "002-resent.eml").write_bytes(again)
    run(config)
    latest = next(r for r in records(config) if r["submission_id"] != record["submission_id"])
    assert latest["status"] == "complete"
    # the same bytes resent are a duplicate, not a new version
    assert "duplicate_submission" in codes(latest) and "superseded" not in codes(latest)


def test_two_referrals_in_one_email_become_two_cases_each_with_its_map(config: Config) -> None:
    pupils = [sample(i, "clean", config, seed=22) for i in (1, 2)]
    (config.paths.inbox / "001-two.eml").write_bytes(combined(pupils))
    run(config)
    found = records(config)
    assert len(found) == 2 and len({r["case_ref"] for r in found}) == 2
    for record in found:
        kinds = sorted(d["kind"] for d in record["documents"])
        assert kinds == ["ipn_referral", "provision_map"]
        assert record["status"] == "complete"


def test_admin_moves_a_case_to_another_meeting(config: Config) -> None:
    from datetime import date

    from pipeline.admin import move_case

    _, record = first_email(config, config.paths.inbox)
    with open_context(config) as ctx:
        move_case(
            ctx, record["case_ref"], date(2026, 2, 5), by="Cluster admin", today=date(2025, 11, 1)
        )
    assert records(config)[0]["meeting"] == "2026-02-05"


def test_accepted_finding_no_longer_blocks_the_case_and_says_who_and_why(config: Config) -> None:
    from pipeline.admin import accept_finding

    _, record = first_email(config, config.paths.inbox)
    with open_context(config) as ctx:
        accept_finding(
            ctx,
            record["case_ref"],
            "missing_document",
            field=None,
            reason="Map to follow; panel agreed to hear it",
            by="Cluster admin",
        )
    (updated,) = records(config)
    accepted = next(f for f in updated["findings"] if f["code"] == "missing_document")
    assert updated["status"] == "complete"
    assert accepted["accepted"]["by"] == "Cluster admin"
    assert "panel agreed" in accepted["accepted"]["reason"]
