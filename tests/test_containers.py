"""Documents inside containers are read: a winmail.dat (TNEF) and an attached Outlook .msg.

Real winmail.dat files from tnefparse's test suite (tests/fixtures/README.md) and one carrying
a generated referral, written once by Aspose.Email's TNEF writer (testkit.samples.winmail) and
kept; the .msg files are written by aspose-email-foss's MSG writer, carrying generated forms.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import os
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aspose.email_foss import msg  # type: ignore[import-untyped]
from records import codes, run_one

from pipeline.config import Config
from pipeline.intake.mail import parse_incoming
from pipeline.intake.store import BlobStore
from pipeline.models import Incoming
from pipeline.read import read_document
from testkit.corpus import libreoffice
from testkit.samples import sample
from testkit.samples.email_message import attachments, email_bytes

FIXTURES = Path(__file__).parent / "fixtures"
WINMAIL = FIXTURES / "tnef" / "winmail-doc-and-pdf.dat"
# A generated referral sent as Outlook sends rich text through Exchange, written by a real TNEF
# writer (tests/fixtures/README.md), and the two files the school attached.
WINMAIL_REFERRAL = FIXTURES / "tnef" / "referral" / "winmail-referral.eml"
REFERRAL_FILES = [
    FIXTURES / "tnef" / "referral" / "IPN Referral - L.B..docx",
    FIXTURES / "tnef" / "referral" / "Costed Provision Map - L.B..xlsx",
]
ARRIVED = parsedate_to_datetime("Wed, 01 Oct 2025 09:00:00 +0100")


def needs_libreoffice() -> None:
    if not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(".ci/run must install libreoffice-writer-nogui (soffice not found)")
        pytest.skip("LibreOffice not installed")


def outlook_message(files: list[tuple[str, bytes]]) -> bytes:
    """An Outlook message carrying ``files``, as Outlook's "attach as item" sends it."""
    message = msg.MapiMessage.create("Referral", "Please see the attached referral.")
    for name, data in files:
        message.add_attachment(name, data, mime_type="application/octet-stream")
    data: bytes = message.to_bytes()
    return data


def email_carrying(name: str, data: bytes, content_type: str) -> bytes:
    message = EmailMessage()
    message["From"] = "senco@abbeyhulton.sch.example"
    message["To"] = "CentralCluster@stoke.gov.uk"
    message["Subject"] = "Referral"
    message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
    message.set_content("Please see attached.")
    maintype, subtype = content_type.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


def attached_directly(wrapped: bytes, originals: list[Path]) -> bytes:
    """The same email (sender, date, subject) with the originals attached to it, not in a
    winmail.dat."""
    headers = email.message_from_bytes(wrapped, policy=email.policy.default)
    message = EmailMessage()
    for name in ("From", "To", "Subject", "Date"):
        message[name] = str(headers[name])
    message.set_content("Please find attached our referral.")
    for path in originals:
        message.add_attachment(
            path.read_bytes(), maintype="application", subtype="octet-stream", filename=path.name
        )
    return bytes(message)


def winmail_and_direct(config: Config, tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    wrapped = WINMAIL_REFERRAL.read_bytes()
    elsewhere = config.under(tmp_path / "direct")
    elsewhere.paths.inbox.mkdir(parents=True)
    direct = run_one(elsewhere, "direct.eml", attached_directly(wrapped, REFERRAL_FILES))
    return run_one(config, "winmail.eml", wrapped), direct


def form_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {d["kind"]: d["fields"] for d in record["documents"] if d["fields"]}


def parsed(tmp_path: Path, data: bytes) -> tuple[list[str], BlobStore, Any]:
    store = BlobStore(tmp_path / "store")
    incoming = Incoming(
        source="test", ref="mail.eml", filename="mail.eml", data=data, arrived_at=ARRIVED
    )
    message = parse_incoming(incoming, store)
    return [a.filename for a in message.attachments], store, message


def test_the_documents_inside_a_winmail_dat_become_attachments(tmp_path: Path) -> None:
    raw = email_carrying("winmail.dat", WINMAIL.read_bytes(), "application/ms-tnef")

    names, _, _ = parsed(tmp_path, raw)

    assert names == ["winmail.dat", "VIA_Nytt_1402.doc", "VIA_Nytt_1402.pdf", "VIA_Nytt_14021.htm"]


def test_a_referral_in_a_winmail_dat_reads_field_by_field_as_if_attached_directly(
    config: Config, tmp_path: Path
) -> None:
    wrapped, direct = winmail_and_direct(config, tmp_path)

    read, expected = form_fields(wrapped), form_fields(direct)
    assert set(read) == set(expected) == {"ipn_referral", "provision_map"}
    for kind, fields in expected.items():
        for field_id, field in fields.items():
            assert read[kind].get(field_id) == field, f"{kind}.{field_id}"


def test_a_referral_in_a_winmail_dat_finds_its_provision_map_and_is_complete(
    config: Config, tmp_path: Path
) -> None:
    wrapped, direct = winmail_and_direct(config, tmp_path)

    kinds = {d["filename"]: d["kind"] for d in wrapped["documents"]}
    assert kinds["winmail.dat"] == "container"
    assert kinds[REFERRAL_FILES[1].name] == "provision_map"
    assert codes(wrapped) == codes(direct)
    assert "missing_document" not in codes(wrapped)


def test_the_files_taken_out_of_a_winmail_dat_are_the_ones_the_school_attached(
    config: Config, tmp_path: Path
) -> None:
    wrapped, _ = winmail_and_direct(config, tmp_path)

    taken = {d["filename"]: d["sha256"] for d in wrapped["documents"]}
    assert {path.name: taken.get(path.name) for path in REFERRAL_FILES} == {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in REFERRAL_FILES
    }


def test_a_word_97_document_inside_a_winmail_dat_is_read(tmp_path: Path) -> None:
    needs_libreoffice()
    raw = email_carrying("winmail.dat", WINMAIL.read_bytes(), "application/ms-tnef")
    _, store, message = parsed(tmp_path, raw)
    (doc,) = [a for a in message.attachments if a.filename.endswith(".doc")]

    read = read_document(store.read(doc.sha256), doc.filename, doc.sha256)

    assert read is not None and read.format == "doc"
    assert sum(len(p.text) for p in read.paragraphs) > 200


def test_a_referral_in_an_attached_outlook_msg_reads_as_if_attached_directly(
    config: Config, tmp_path: Path
) -> None:
    referral = sample(1, "clean", config)
    files = attachments(referral)
    elsewhere = config.under(tmp_path / "direct")
    elsewhere.paths.inbox.mkdir(parents=True)
    direct = run_one(elsewhere, "direct.eml", email_bytes(referral, files))
    carried = email_bytes(referral, [("Referral.msg", outlook_message(files))])

    wrapped = run_one(config, "wrapped.eml", carried)

    assert form_fields(wrapped) == form_fields(direct)
    assert codes(wrapped) == codes(direct)
    assert "missing_document" not in codes(wrapped)


def test_the_outlook_msg_itself_is_listed_as_an_envelope_not_a_supporting_document(
    config: Config,
) -> None:
    referral = sample(2, "clean", config)
    carried = email_bytes(referral, [("Referral.msg", outlook_message(attachments(referral)))])

    record = run_one(config, "wrapped.eml", carried)

    kinds = {d["filename"]: d["kind"] for d in record["documents"]}
    assert kinds["Referral.msg"] == "container"
    assert not [f for f in record["findings"] if f["document"] == "Referral.msg"]


def test_a_referral_sent_as_a_word_97_doc_is_read_in_a_run(config: Config, tmp_path: Path) -> None:
    needs_libreoffice()
    referral = sample(3, "clean", config)
    files = attachments(referral)
    form_name, form = next((n, d) for n, d in files if n.endswith(".docx"))
    (tmp_path / "form.docx").write_bytes(form)
    (doc,) = libreoffice.convert([tmp_path / "form.docx"], "doc", tmp_path / "doc")
    as_doc = [(form_name.removesuffix("x"), doc.read_bytes()), *[f for f in files if f[1] != form]]
    elsewhere = config.under(tmp_path / "direct")
    elsewhere.paths.inbox.mkdir(parents=True)
    direct = run_one(elsewhere, "direct.eml", email_bytes(referral, files))

    record = run_one(config, "doc.eml", email_bytes(referral, as_doc))

    assert form_fields(record) == form_fields(direct)
    assert "missing_document" not in codes(record)
