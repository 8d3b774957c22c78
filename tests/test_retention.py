"""The retention policy removes closed cases' personal data and keeps the anonymous figures."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from test_decisions_roundtrip import FIRST, fill, import_log

from pipeline.admin import make_bundle
from pipeline.config import Config
from pipeline.retention import apply_retention, describe, expired_cases
from pipeline.runner import open_context, run_inbox
from testkit.samples import SampleReferral, make_referral, render_email, sample
from testkit.samples.follow_up import follow_up

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


# --- everywhere the data lives ------------------------------------------------------------------


def _identifiers(referral: SampleReferral) -> list[bytes]:
    form = referral.values
    born = form["date_of_birth"]
    found = [str(form["pupil_surname"]), str(form["pupil_forename"]), str(form["upn"])]
    found += [born.isoformat(), f"{born:%d/%m/%Y}"]
    return [item.encode() for item in found]


def _everything(config: Config) -> bytes:
    """Every byte of the store, the register and its WAL, outbox/ and inbox/."""
    roots = (config.paths.outbox, config.paths.register_db.parent, config.paths.inbox,
             config.paths.store)  # fmt: skip
    return b"".join(p.read_bytes() for root in roots for p in root.rglob("*") if p.is_file())


def _expired_year(config: Config) -> tuple[SampleReferral, SampleReferral]:
    """A referral heard at a meeting (bundles, decision log made) and a quarantined email."""
    referral = sample(1, "missing_field", config, seed=51)
    stranger = sample(2, "unknown_sender", config, seed=52)
    (config.paths.inbox / "referral.eml").write_bytes(render_email(referral))
    (config.paths.inbox / "stranger.eml").write_bytes(render_email(stranger))
    with open_context(config) as ctx:
        run_inbox(ctx)
        (path,) = [p for p in (config.paths.outbox / "submissions").iterdir()
                   if json.loads(p.read_text())["case_ref"]]  # fmt: skip
        meeting = json.loads(path.read_text())["meeting"]
        make_bundle(ctx, date.fromisoformat(meeting), "test")
    return referral, stranger


def test_retention_leaves_no_identifier_of_an_expired_year_in_any_file(config: Config) -> None:
    referral, stranger = _expired_year(config)
    secrets = _identifiers(referral) + _identifiers(stranger)
    assert all(s in _everything(config) for s in _identifiers(referral))
    with open_context(config) as ctx:
        result = apply_retention(ctx, LONG_AFTER, by="test")
    assert result.quarantined == 1
    written = _everything(config)
    assert [s for s in secrets if s in written] == []


def test_retention_lists_what_it_will_remove_before_removing_it(config: Config) -> None:
    _expired_year(config)
    with open_context(config) as ctx:
        listed = describe(ctx, LONG_AFTER)
    assert "1 case(s)" in listed and "1 quarantined email(s)" in listed
    assert "bundle-panel.pdf" in listed and "referral.eml" in listed
    assert (config.paths.inbox / "referral.eml").exists()


def test_a_recent_quarantined_email_is_kept(config: Config) -> None:
    _expired_year(config)
    records = [json.loads(p.read_text()) for p in (config.paths.outbox / "submissions").iterdir()]
    received = next(r["received_at"] for r in records if r["status"] == "quarantined")
    soon_after = date.fromisoformat(received[:10]) + timedelta(days=30)
    with open_context(config) as ctx:
        result = apply_retention(ctx, soon_after, by="test")
    assert result.quarantined == 0
    assert (config.paths.inbox / "stranger.eml").exists()


def test_retention_is_recorded_in_the_audit_log(config: Config) -> None:
    _expired_year(config)
    with open_context(config) as ctx:
        apply_retention(ctx, LONG_AFTER, by="test")
        details = [entry.detail for entry in ctx.register.audit_log()]
    assert any("quarantined email(s) removed" in d for d in details)
    assert any("personal data of CC-" in d for d in details)


def test_expired_case_loses_the_reasons_stored_with_its_states(config: Config) -> None:
    record, secrets = process_one(config)
    case_ref = str(record["case_ref"])
    with open_context(config) as ctx:
        ctx.register.record_state(
            case_ref, "deferred", date(2025, 10, 16), f"Ask about {secrets[0]}'s attendance", "test"
        )
        ctx.register.compact()
        assert secrets[0].encode() in everything_written(config)
        apply_retention(ctx, LONG_AFTER, by="test")
        (state,) = [s for s in ctx.register.case_states(case_ref) if s.state == "deferred"]
    assert state.reason == ""
    assert secrets[0].encode() not in everything_written(config)


def test_a_declined_case_the_school_wrote_about_again_is_kept_from_its_last_email(
    config: Config,
) -> None:
    """Declined in October 2025, written about again in 2027: six years run from 2027."""
    referral = make_referral(
        random.Random(61), config, received_at=datetime(2025, 9, 15, 9, tzinfo=UTC)
    )
    (config.paths.inbox / "referral.eml").write_bytes(render_email(referral))
    with open_context(config) as ctx:
        run_inbox(ctx)
        make_bundle(ctx, FIRST, by="Cluster admin")
    log = config.paths.outbox / "meetings" / FIRST.isoformat() / "decision-log.xlsx"
    fill(log, [("Declined", None, None)])
    import_log(config, log)
    with open_context(config) as ctx:
        (case_ref,) = {s.case_ref for s in ctx.register.submissions()}
    (config.paths.inbox / "again.eml").write_bytes(
        follow_up(referral, case_ref=case_ref, days_later=600)
    )
    with open_context(config) as ctx:
        run_inbox(ctx)
        assert [s.case_ref for s in ctx.register.submissions()][-1] == case_ref
        assert expired_cases(ctx, FIRST + relativedelta(years=6, months=2)) == []
        assert expired_cases(ctx, date(2033, 6, 1)) == [case_ref]
