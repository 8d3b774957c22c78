"""Who may send: configured domains only, DMARC failures quarantined, mismatched senders flagged."""

from __future__ import annotations

import json
from email import policy
from email.parser import BytesParser
from typing import Any

import pytest

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox
from testkit.samples import render_email, sample


def processed(config: Config, email: bytes) -> dict[str, Any]:
    (config.paths.inbox / "mail.eml").write_bytes(email)
    with open_context(config) as ctx:
        run_inbox(ctx)
    (path,) = (config.paths.outbox / "submissions").iterdir()
    record: dict[str, Any] = json.loads(path.read_text())
    return record


def with_header(email: bytes, header: str) -> bytes:
    return header.encode() + b"\r\n" + email


def codes(record: dict[str, Any]) -> list[str]:
    return [f["code"] for f in record["findings"]]


def test_dmarc_failure_reported_by_our_server_quarantines_the_email(config: Config) -> None:
    email = render_email(sample(1, "clean", config, seed=41))
    failed = with_header(email, "Authentication-Results: mx.stoke.gov.uk; spf=fail; dmarc=fail")
    record = processed(config, failed)
    assert record["status"] == "quarantined" and codes(record) == ["dmarc_failed"]


def test_forged_dmarc_failure_below_our_servers_pass_is_ignored(config: Config) -> None:
    email = render_email(sample(1, "clean", config, seed=42))
    forged = with_header(email, "Authentication-Results: forged.example; dmarc=fail")
    ours = with_header(forged, "Authentication-Results: mx.stoke.gov.uk; dmarc=pass")
    assert processed(config, ours)["status"] == "complete"


def test_sender_from_another_settings_domain_gets_sender_setting_mismatch(config: Config) -> None:
    referral = sample(1, "clean", config, seed=43)
    other = next(s for s in config.settings if s.name != referral.setting)
    moved = referral.model_copy(update={"sender": f"senco@{other.domains[0]}"})
    record = processed(config, render_email(moved))
    assert "sender_setting_mismatch" in codes(record)
    assert record["status"] == "complete"  # a warning: the panel should know


def _from_replaced(email: bytes, header: bytes | None) -> bytes:
    head, sep, body = (
        email.partition(b"\r\n\r\n") if b"\r\n\r\n" in email else email.partition(b"\n\n")
    )
    newline = b"\r\n" if sep == b"\r\n\r\n" else b"\n"
    lines = [line for line in head.split(newline) if not line.lower().startswith(b"from:")]
    assert len(lines) < len(head.split(newline))  # the sample had a From header
    return newline.join(lines + ([header] if header else [])) + sep + body


@pytest.mark.parametrize(
    "header",
    [None, b"From: =?utf-8?q?senco=40stoke.gov.uk?=", b"From: <>", b"From: senco"],
    ids=["no From", "encoded word for an address", "empty address", "no domain"],
)
def test_email_with_no_readable_from_dropped_in_inbox_is_quarantined(
    config: Config, header: bytes | None
) -> None:
    email = render_email(sample(1, "clean", config, seed=44))
    record = processed(config, _from_replaced(email, header))
    assert record["status"] == "quarantined"
    assert codes(record) == ["unknown_sender"]
    assert all(d["kind"] == "quarantined" for d in record["documents"])


def test_loose_document_dropped_by_the_admin_is_still_trusted(config: Config) -> None:
    email = render_email(sample(1, "clean", config, seed=45))
    parsed = BytesParser(policy=policy.default).parsebytes(email)
    form = next(p for p in parsed.iter_attachments() if str(p.get_filename()).endswith(".docx"))
    (config.paths.inbox / "referral.docx").write_bytes(form.get_content())
    with open_context(config) as ctx:
        run_inbox(ctx)
    (path,) = (config.paths.outbox / "submissions").iterdir()
    assert json.loads(path.read_text())["status"] != "quarantined"


EXCHANGE_ONLINE_FAIL = (
    "Authentication-Results: spf=fail (sender IP is 192.0.2.7) smtp.mailfrom=stoke.gov.uk; "
    "dkim=none (message not signed) header.d=none;dmarc=fail action=none "
    "header.from=stoke.gov.uk;compauth=fail reason=000"
)


def _configured(config: Config, authserv_id: str) -> Config:
    senders = config.senders.model_copy(update={"authserv_id": authserv_id})
    return config.model_copy(update={"senders": senders})


@pytest.mark.parametrize(
    ("authserv_id", "headers"),
    [
        (
            "",
            [
                "Authentication-Results: mx.stoke.gov.uk; spf=pass "
                'smtp.mailfrom="dmarc=pass"@evil.example; dmarc=fail header.from=stoke.gov.uk'
            ],
        ),
        ("mx.stoke.gov.uk", [EXCHANGE_ONLINE_FAIL]),
        ("", [EXCHANGE_ONLINE_FAIL]),
        (
            "",
            [
                "Authentication-Results: mx.stoke.gov.uk; dmarc=pass header.from=stoke.gov.uk",
                "Authentication-Results: mx.stoke.gov.uk; dmarc=fail header.from=stoke.gov.uk",
            ],
        ),
        (
            "mx.stoke.gov.uk",
            [
                "Authentication-Results: mx.stoke.gov.uk; dmarc=fail header.from=stoke.gov.uk",
                "Authentication-Results: mx.stoke.gov.uk; dmarc=pass header.from=stoke.gov.uk",
            ],
        ),
        (
            "",
            [
                "Authentication-Results: mx.stoke.gov.uk; dmarc=pass (forged) header.from=x; "
                "dmarc=fail header.from=stoke.gov.uk"
            ],
        ),
    ],
    ids=[
        "pass in a quoted string",
        "exchange online header without a server name, authserv_id set",
        "exchange online header without a server name, authserv_id empty",
        "forged pass above the real fail",
        "forged pass in a later header",
        "a pass and a fail in one header",
    ],
)
def test_dmarc_fail_from_our_server_is_quarantined_whatever_else_the_headers_hold(
    config: Config, authserv_id: str, headers: list[str]
) -> None:
    email = render_email(sample(1, "clean", config, seed=46))
    for header in reversed(headers):
        email = with_header(email, header)
    record = processed(_configured(config, authserv_id), email)
    assert record["status"] == "quarantined" and codes(record) == ["dmarc_failed"]


def test_dmarc_fail_from_another_server_than_ours_is_ignored_when_authserv_id_is_set(
    config: Config,
) -> None:
    email = render_email(sample(1, "clean", config, seed=47))
    email = with_header(email, "Authentication-Results: relay.other.example; dmarc=fail")
    email = with_header(email, "Authentication-Results: mx.stoke.gov.uk; dmarc=pass")
    assert processed(_configured(config, "mx.stoke.gov.uk"), email)["status"] == "complete"
