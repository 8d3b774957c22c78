"""Odd parts get the finding that says what they are: encrypted, empty, an archive, a macro sheet.

Each file is made by the real tool for its kind: GnuPG for PGP/MIME, the cryptography
library's PKCS #7 writer for S/MIME, msoffcrypto-tool for a password-protected .docx, the
zipfile module for archives; the Excel 4.0 macro sheet is Apache POI's test file.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from records import record_of

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox
from testkit.reliability import files

FIXTURES = Path(__file__).parent / "fixtures"
SENDER = "senco@abbeyhulton.sch.example"


def headed(message: EmailMessage | MIMEMultipart | MIMEApplication) -> bytes:
    message["From"] = SENDER
    message["To"] = "CentralCluster@stoke.gov.uk"
    message["Subject"] = "Referral"
    message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
    return message.as_bytes()


def email_with(name: str, data: bytes) -> bytes:
    message = EmailMessage()
    message.set_content("Please see attached.")
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return headed(message)


def pgp_encrypted(plain: bytes, home: Path) -> bytes:
    """``plain`` encrypted by GnuPG to a key made for the test, ASCII-armoured."""
    home.mkdir(mode=0o700)
    gpg = ["gpg", "--homedir", str(home), "--batch", "--yes", "--passphrase", ""]
    try:
        subprocess.run(
            [*gpg, "--quick-gen-key", "Cluster Test <cluster@test.example>", "future-default"],
            check=True,
            capture_output=True,
        )
        encrypt = [*gpg, "--trust-model", "always", "-a", "-e", "-r", "cluster@test.example"]
        return subprocess.run(encrypt, input=plain, check=True, capture_output=True).stdout
    finally:  # gpg starts an agent for the home folder; it must not outlive the test
        if shutil.which("gpgconf") is not None:
            agent = ["gpgconf", "--homedir", str(home), "--kill", "gpg-agent"]
            subprocess.run(agent, check=False, capture_output=True)


def pgp_mime_email(armoured: bytes) -> bytes:
    """RFC 3156: a multipart/encrypted with the control part and the encrypted payload."""
    message = MIMEMultipart("encrypted", protocol="application/pgp-encrypted")
    message.attach(MIMEApplication(b"Version: 1\n", "pgp-encrypted"))
    payload = MIMEApplication(armoured, "octet-stream")
    payload.add_header("Content-Disposition", "inline", filename="encrypted.asc")
    message.attach(payload)
    return headed(message)


def smime_email(plain: bytes) -> bytes:
    """RFC 8551: the whole message is an application/pkcs7-mime enveloped-data part."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Central Cluster test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    enveloped = (
        pkcs7.PKCS7EnvelopeBuilder()
        .set_data(plain)
        .add_recipient(cert)
        .encrypt(serialization.Encoding.DER, [])
    )
    part = MIMEApplication(enveloped, "pkcs7-mime", smime_type="enveloped-data", name="smime.p7m")
    part.add_header("Content-Disposition", "attachment", filename="smime.p7m")
    return headed(part)


def archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def run(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run over an inbox of odd parts; each email's documents by filename."""
    root = tmp_path_factory.mktemp("odd")
    config = shipped_config.under(root)
    config.paths.inbox.mkdir()
    form = files.plain_docx("Individual Pupil Need Referral Form")
    emails = {
        "password.eml": email_with("Referral.docx", files.encrypted_office(form)),
        "empty.eml": email_with("Referral.doc", b""),
        "zip.eml": email_with("Referral forms.zip", archive({"Referral.docx": form})),
        "zip-slip.eml": email_with("forms.zip", archive({"../../../../tmp/evil.docx": form})),
        "zip-bomb.eml": email_with("bomb.zip", files.zip_bomb(archive({"a": b""}), "b", 300)),
        "macro-sheet.eml": email_with(
            "Provision map.xlsx", (FIXTURES / "xlm" / "xlmmacro.xlsm").read_bytes()
        ),
        "smime.eml": smime_email(form),
    }
    if shutil.which("gpg") is not None:
        emails["pgp.eml"] = pgp_mime_email(pgp_encrypted(form, root / "gnupg"))
    elif os.environ.get("CI") == "true":
        pytest.fail(".ci/run must install gnupg (gpg not found)")
    for name, data in emails.items():
        (config.paths.inbox / name).write_bytes(data)
    with open_context(config) as ctx:
        run_inbox(ctx)
    return {
        name: documents(record_of(config.paths.inbox / name, config.paths.outbox))
        for name in emails
    }


def documents(record: dict[str, Any]) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Each document's kind and the (code, message) of its findings."""
    return {
        d["filename"]: (
            d["kind"],
            [
                (f["code"], f["message"])
                for f in record["findings"]
                if f["document"] == d["filename"]
            ],
        )
        for d in record["documents"]
    }


def test_a_pgp_encrypted_part_is_encrypted_and_cannot_be_read(run: dict[str, Any]) -> None:
    if "pgp.eml" not in run:
        pytest.skip("GnuPG not installed")
    assert list(run["pgp.eml"]) == ["encrypted.asc"]  # the "Version: 1" part is no document
    kind, findings = run["pgp.eml"]["encrypted.asc"]
    assert kind == "unreadable"
    assert [code for code, _ in findings] == ["unreadable_document"]
    assert "encrypted (PGP), so it cannot be read" in findings[0][1]


def test_an_smime_encrypted_message_is_encrypted_and_cannot_be_read(run: dict[str, Any]) -> None:
    kind, findings = run["smime.eml"]["smime.p7m"]
    assert kind == "unreadable"
    assert "encrypted (S/MIME), so it cannot be read" in findings[0][1]


def test_a_password_protected_docx_is_encrypted_and_cannot_be_read(run: dict[str, Any]) -> None:
    kind, findings = run["password.eml"]["Referral.docx"]
    assert kind == "unreadable"
    assert "encrypted (a password protected Office file), so it cannot be read" in findings[0][1]


def test_an_empty_doc_gets_a_finding_saying_it_is_empty(run: dict[str, Any]) -> None:
    kind, findings = run["empty.eml"]["Referral.doc"]
    assert kind == "unreadable"
    assert findings[0][0] == "unreadable_document"
    assert "empty (0 bytes)" in findings[0][1]


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("zip.eml", "Referral forms.zip"),
        ("zip-slip.eml", "forms.zip"),
        ("zip-bomb.eml", "bomb.zip"),
    ],
)
def test_an_archive_gets_a_finding_and_is_kept_from_the_panel(
    run: dict[str, Any], email: str, name: str
) -> None:
    kind, findings = run[email][name]
    assert kind == "archive"
    assert findings[0][0] == "unreadable_document"
    assert "archive (zip)" in findings[0][1] and "not passed to the panel" in findings[0][1]


def test_an_excel_4_macro_sheet_named_xlsx_is_blocked_by_its_content(run: dict[str, Any]) -> None:
    kind, findings = run["macro-sheet.eml"]["Provision map.xlsx"]
    assert kind == "blocked"
    assert findings[0][0] == "blocked_file_type"
    assert "Excel 4.0 macro sheet" in findings[0][1]
