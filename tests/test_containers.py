"""Documents inside containers are read: a winmail.dat (TNEF) and an attached Outlook .msg.

Real winmail.dat files from tnefparse's test suite (tests/fixtures/README.md) and ones
carrying generated forms written by Aspose.Email's TNEF writer (testkit.samples.winmail); the
.msg files are written by aspose-email-foss's MSG writer, carrying generated forms.
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aspose.email_foss import msg  # type: ignore[import-untyped]
from records import codes, record_of

from pipeline.config import Config
from pipeline.intake.mail import parse_incoming
from pipeline.intake.store import BlobStore
from pipeline.models import Incoming
from pipeline.read import read_document
from pipeline.runner import open_context, run_inbox
from testkit.corpus import libreoffice
from testkit.samples import sample, winmail
from testkit.samples.case import SampleReferral
from testkit.samples.email_message import attachments, email_bytes

FIXTURES = Path(__file__).parent / "fixtures"
WINMAIL = FIXTURES / "tnef" / "winmail-doc-and-pdf.dat"
ARRIVED = parsedate_to_datetime("Wed, 01 Oct 2025 09:00:00 +0100")


def needs_libreoffice() -> None:
    if not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(".ci/run must install libreoffice-writer-nogui (soffice not found)")
        pytest.skip("LibreOffice not installed")


def needs_tnef_writer() -> None:
    if not winmail.available():
        if os.environ.get("CI") == "true":
            pytest.fail("the Makefile must install testkit's tnef extra (Aspose.Email not found)")
        pytest.skip("Aspose.Email (testkit's tnef extra) not installed")


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


def run_one(config: Config, name: str, data: bytes) -> dict[str, Any]:
    path = config.paths.inbox / name
    path.write_bytes(data)
    with open_context(config) as ctx:
        run_inbox(ctx)
    return record_of(path, config.paths.outbox)


def run_attached_directly(
    config: Config, tmp_path: Path, referral: SampleReferral, files: list[tuple[str, bytes]]
) -> dict[str, Any]:
    """The record of the same referral with its files attached to the email itself."""
    elsewhere = config.under(tmp_path / "direct")
    elsewhere.paths.inbox.mkdir(parents=True)
    return run_one(elsewhere, "direct.eml", email_bytes(referral, files))


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
    needs_tnef_writer()
    referral = sample(4, "clean", config)
    files = attachments(referral)
    direct = run_attached_directly(config, tmp_path, referral, files)

    wrapped = run_one(config, "winmail.eml", winmail.winmail_email(referral, files))

    read, expected = form_fields(wrapped), form_fields(direct)
    assert set(read) == set(expected) == {"ipn_referral", "provision_map"}
    for kind, fields in expected.items():
        for field_id, field in fields.items():
            assert read[kind].get(field_id) == field, f"{kind}.{field_id}"


def test_a_referral_in_a_winmail_dat_finds_its_provision_map_and_is_complete(
    config: Config, tmp_path: Path
) -> None:
    needs_tnef_writer()
    referral = sample(5, "clean", config)
    files = attachments(referral)
    direct = run_attached_directly(config, tmp_path, referral, files)

    wrapped = run_one(config, "winmail.eml", winmail.winmail_email(referral, files))

    kinds = {d["filename"]: d["kind"] for d in wrapped["documents"]}
    assert kinds["winmail.dat"] == "container"
    assert kinds[referral.map_filename] == "provision_map"
    assert codes(wrapped) == codes(direct)
    assert "missing_document" not in codes(wrapped)


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
