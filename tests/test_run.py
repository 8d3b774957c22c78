"""Whole runs over an inbox: idempotent re-runs, bad files among good ones, nothing escapes."""

from __future__ import annotations

import io
import json
import logging
from email.message import EmailMessage

import docx
import pytest

from pipeline.config import Config
from pipeline.flow import journey as flow
from pipeline.register import Register
from pipeline.register.migrations import MIGRATIONS
from pipeline.runner import open_context, run_inbox
from pipeline.sandbox import ParserPool
from testkit.reliability.raw_mail import nested
from testkit.samples import generate, sample

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def run(config: Config) -> None:
    with open_context(config) as ctx:
        run_inbox(ctx)


def outputs(config: Config) -> dict[str, bytes]:
    folder = config.paths.outbox / "submissions"
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def table_counts(config: Config) -> dict[str, int]:
    with Register(config.paths.register_db) as register:
        return register.counts()


def test_second_run_over_the_same_inbox_changes_nothing(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(config.paths.inbox, config, seed=11, clean=3, defects=["missing_field"])
    run(config)
    first_outputs, first_counts = outputs(config), table_counts(config)
    report = (config.paths.outbox / "report.html").read_bytes()
    parsed: list[object] = []
    monkeypatch.setattr(flow, "parse_incoming", lambda *a: parsed.append(a))
    run(config)
    assert parsed == []
    assert outputs(config) == first_outputs
    assert table_counts(config) == first_counts
    assert (config.paths.outbox / "report.html").read_bytes() == report


def test_same_submission_ids_when_the_register_is_rebuilt(config: Config) -> None:
    generate(config.paths.inbox, config, seed=12, clean=2)
    run(config)
    first = outputs(config)
    config.paths.register_db.unlink()
    run(config)
    assert outputs(config).keys() == first.keys()


def email_with(attachment_name: str, data: bytes, subtype: str = "octet-stream") -> bytes:
    message = EmailMessage()
    message["From"] = "senco@abbeyhulton.sch.example"
    message["To"] = "CentralCluster@stoke.gov.uk"
    message["Subject"] = "Referral"
    message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
    message.set_content("Please see attached.")
    message.add_attachment(data, maintype="application", subtype=subtype, filename=attachment_name)
    return bytes(message)


def finding_codes(config: Config) -> dict[str, set[str]]:
    by_file: dict[str, set[str]] = {}
    for path in (config.paths.outbox / "submissions").iterdir():
        record = json.loads(path.read_text())
        for finding in record["findings"]:
            by_file.setdefault(finding["document"] or "", set()).add(finding["code"])
    return by_file


@pytest.fixture
def bad_inbox(config: Config) -> Config:
    inbox = config.paths.inbox
    generate(inbox, config, seed=13, clean=2)
    (inbox / "a-corrupt.eml").write_bytes(
        email_with("Referral AB.docx", b"PK\x03\x04broken", "zip")
    )
    (inbox / "empty.docx").write_bytes(b"")
    (inbox / "b-macro.eml").write_bytes(email_with("Provision map.docm", b"PK\x03\x04macro"))
    form = io.BytesIO()
    docx.Document().save(form)
    (inbox / "c-traversal.eml").write_bytes(email_with("../../x.docx", form.getvalue()))
    return config


def test_corrupt_docx_gets_unreadable_document(bad_inbox: Config) -> None:
    run(bad_inbox)
    assert "unreadable_document" in finding_codes(bad_inbox)["Referral AB.docx"]


def test_zero_byte_file_gets_unreadable_document_saying_it_is_empty(bad_inbox: Config) -> None:
    run(bad_inbox)
    records = [
        json.loads(p.read_text()) for p in (bad_inbox.paths.outbox / "submissions").iterdir()
    ]
    messages = [
        f["message"] for r in records for f in r["findings"] if f["document"] == "empty.docx"
    ]
    assert any("empty (0 bytes)" in m for m in messages)


def test_macro_enabled_file_is_blocked_and_never_opened(
    bad_inbox: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real = ParserPool.read

    def spy(pool: ParserPool, data: bytes, name: str, sha: str) -> object:
        opened.append(name)
        return real(pool, data, name, sha)

    monkeypatch.setattr(ParserPool, "read", spy)
    run(bad_inbox)
    assert "blocked_file_type" in finding_codes(bad_inbox)["Provision map.docm"]
    assert "Provision map.docm" not in opened


def test_path_traversal_name_is_sanitised_and_nothing_is_written_outside(bad_inbox: Config) -> None:
    run(bad_inbox)
    assert "x.docx" in finding_codes(bad_inbox)
    root = bad_inbox.paths.inbox.parent
    assert not (root.parent / "x.docx").exists() and not (root / "x.docx").exists()


def test_good_emails_beside_bad_files_are_processed_normally(bad_inbox: Config) -> None:
    run(bad_inbox)
    records = [
        json.loads(p.read_text()) for p in (bad_inbox.paths.outbox / "submissions").iterdir()
    ]
    assert len(records) == 6
    assert sum(r["status"] == "complete" for r in records) == 2


def test_logs_never_contain_pupil_names_or_dates_of_birth(
    config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    generate(
        config.paths.inbox, config, seed=14, clean=4, defects=["identity_mismatch", "missing_field"]
    )
    with caplog.at_level(logging.DEBUG):
        run(config)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "processed S-" in logged
    for index, code in enumerate(["clean"] * 4 + ["identity_mismatch", "missing_field"], start=1):
        pupil = sample(index, code, config, seed=14).values
        born = pupil["date_of_birth"]
        for secret in (
            pupil["pupil_forename"],
            pupil["pupil_surname"],
            born.isoformat(),
            born.strftime("%d/%m/%Y"),
        ):
            assert str(secret) not in logged


def test_register_is_at_the_latest_schema_version_and_intact(config: Config) -> None:
    generate(config.paths.inbox, config, seed=15, clean=1)
    run(config)
    with Register(config.paths.register_db) as register:
        assert register.version == len(MIGRATIONS)
        assert register.integrity_ok()


def test_outputs_are_readable_by_the_service_account_only(config: Config) -> None:
    generate(config.paths.inbox, config, seed=16, clean=1)
    run(config)
    for path in (
        config.paths.outbox,
        config.paths.store,
        config.paths.register_db.parent,
        config.paths.register_db,
        config.paths.outbox / "report.html",
    ):
        assert path.stat().st_mode & 0o077 == 0, path


def test_quarantined_email_is_processed_after_its_sender_is_accepted(config: Config) -> None:
    from pipeline.runner import reprocess

    generate(config.paths.inbox, config, seed=17, clean=0, defects=["unknown_sender"])
    run(config)
    (record_path,) = (config.paths.outbox / "submissions").iterdir()
    quarantined = json.loads(record_path.read_text())
    assert quarantined["status"] == "quarantined"
    domain = quarantined["sender"].split("@")[1]
    senders = config.senders.model_copy(update={"accept_domains": (domain,)})
    with open_context(config.model_copy(update={"senders": senders})) as ctx:
        (released,) = reprocess(ctx, quarantined["submission_id"])
    assert released.status.value == "complete"
    assert json.loads(record_path.read_text())["status"] == "complete"


def test_email_without_attachments_is_kept_without_opening_a_case(config: Config) -> None:
    message = EmailMessage()
    message["From"] = "senco@abbeyhulton.sch.example"
    message["To"] = "CentralCluster@stoke.gov.uk"
    message["Subject"] = "When is the next panel?"
    message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
    message.set_content("Hello, could you tell me the date of the next panel meeting?")
    (config.paths.inbox / "question.eml").write_bytes(bytes(message))
    run(config)
    (record,) = [json.loads(p.read_text()) for p in (config.paths.outbox / "submissions").iterdir()]
    assert record["case_ref"] is None and record["documents"] == []
    assert [f["code"] for f in record["findings"]] == ["missing_document"]


def test_an_email_cut_short_gets_damaged_email_and_its_attachment_is_still_read(
    config: Config,
) -> None:
    raw = (
        b"From: senco@abbeyhulton.sch.example\r\nTo: CentralCluster@stoke.gov.uk\r\n"
        b"Subject: Referral\r\nDate: Wed, 01 Oct 2025 09:00:00 +0100\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        b"--XYZ\r\nContent-Type: text/plain\r\n\r\nPlease find the referral attached.\r\n"
        b"--XYZ\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="Report.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLj\r\n"
    )
    (config.paths.inbox / "cut-short.eml").write_bytes(raw)
    run(config)
    (record,) = [json.loads(p.read_text()) for p in (config.paths.outbox / "submissions").iterdir()]
    damaged = [f for f in record["findings"] if f["code"] == "damaged_email"]
    assert [d["filename"] for d in record["documents"]] == ["Report.pdf"]
    assert [f["severity"] for f in damaged] == ["warning"]
    assert "close boundary not found" in damaged[0]["message"]
    assert "send again any that is not" in damaged[0]["message"]


def test_an_email_with_more_parts_than_can_be_read_says_its_attachments_were_not_taken(
    config: Config,
) -> None:
    (config.paths.inbox / "deep.eml").write_bytes(nested("senco@abbeyhulton.sch.example", 3000))
    run(config)
    (record,) = [json.loads(p.read_text()) for p in (config.paths.outbox / "submissions").iterdir()]
    damaged = [f["message"] for f in record["findings"] if f["code"] == "damaged_email"]
    assert len(damaged) == 1 and "its attachments not taken" in damaged[0]
