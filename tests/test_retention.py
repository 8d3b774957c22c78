"""The retention policy removes closed cases' personal data and keeps the anonymous figures."""

from __future__ import annotations

import json
from datetime import date

from pipeline.config import Config
from pipeline.retention import apply_retention, expired_cases
from pipeline.runner import open_context, run_inbox
from testkit.samples import render_email, sample

LONG_AFTER = date(2033, 1, 1)


def process_one(config: Config) -> tuple[dict[str, object], list[str]]:
    referral = sample(1, "missing_field", config, seed=51)
    (config.paths.inbox / "one.eml").write_bytes(render_email(referral))
    with open_context(config) as ctx:
        run_inbox(ctx)
    (path,) = (config.paths.outbox / "submissions").iterdir()
    born = referral.values["date_of_birth"]
    secrets = [str(referral.values["pupil_surname"]), str(referral.values["upn"]), born.isoformat()]
    return json.loads(path.read_text()), secrets


def everything_written(config: Config) -> bytes:
    roots = (config.paths.outbox, config.paths.register_db.parent)
    return b"".join(p.read_bytes() for root in roots for p in root.rglob("*") if p.is_file())


def test_a_recent_case_is_not_expired(config: Config) -> None:
    process_one(config)
    with open_context(config) as ctx:
        assert expired_cases(ctx, date(2026, 1, 1)) == []


def test_expired_case_loses_names_dates_of_birth_and_upns_everywhere(config: Config) -> None:
    _, secrets = process_one(config)
    assert all(s.encode() in everything_written(config) for s in secrets)
    with open_context(config) as ctx:
        result = apply_retention(ctx, LONG_AFTER, by="test")
    assert len(result.cases) == 1
    written = everything_written(config)
    assert not [s for s in secrets if s.encode() in written]


def test_expired_case_keeps_its_anonymous_figures(config: Config) -> None:
    before, _ = process_one(config)
    with open_context(config) as ctx:
        apply_retention(ctx, LONG_AFTER, by="test")
    path = config.paths.outbox / "submissions" / f"{before['submission_id']}.json"
    after = json.loads(path.read_text())
    assert after["request_type"] == before["request_type"] == "ipn"
    assert after["case_ref"] == before["case_ref"]
    assert [f["code"] for f in after["findings"]] == [f["code"] for f in before["findings"]]  # type: ignore[union-attr]
    form = next(d for d in after["documents"] if d["kind"] == "ipn_referral")
    assert set(form["fields"]) <= {
        "setting_name",
        "amount_requested",
        "year_group",
        "sen_status",
        "primary_need",
    }
    assert "amount_requested" in form["fields"]


def test_expired_case_emails_are_removed_from_the_store(config: Config) -> None:
    process_one(config)
    store = config.paths.store
    assert any(p.is_file() for p in store.rglob("*"))
    with open_context(config) as ctx:
        result = apply_retention(ctx, LONG_AFTER, by="test")
    assert result.blobs_removed >= 3
    assert not [p for p in store.rglob("*") if p.is_file()]
