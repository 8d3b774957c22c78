"""Scanned forms: read by OCR with a warning, or kept with a finding when OCR is missing."""

from __future__ import annotations

import json
import random
import shutil
from email.message import EmailMessage

import pytest

from pipeline.config import Config
from pipeline.flow.attachments import _scanned
from pipeline.models import ReadDocument
from pipeline.runner import open_context, run_inbox
from schemas import IpnReferral
from testkit.corpus.pdf_layouts import spaced_lines
from testkit.corpus.scanned import scanned
from testkit.corpus.values import truth_for

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is not installed"
)


def scanned_email(config: Config) -> bytes:
    truth = truth_for(IpnReferral, random.Random("scan"), config)
    pdf = scanned(spaced_lines(IpnReferral, truth, 1), 1)
    message = EmailMessage()
    message["From"] = f"senco@{config.settings[0].domains[0]}"
    message["To"] = config.cluster.mailbox
    message["Subject"] = "Scanned referral"
    message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
    message.set_content("Scanned copy attached.")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="scan.pdf")
    return bytes(message)


@needs_tesseract
def test_scanned_referral_is_read_by_ocr_and_flagged_scanned_document(config: Config) -> None:
    email = scanned_email(config)
    (config.paths.inbox / "scan.eml").write_bytes(email)
    with open_context(config) as ctx:
        run_inbox(ctx)
    (path,) = (config.paths.outbox / "submissions").iterdir()
    record = json.loads(path.read_text())
    form = next(d for d in record["documents"] if d["filename"] == "scan.pdf")
    assert form["kind"] == "ipn_referral"
    assert {"pupil_surname", "date_of_birth", "upn"} <= set(form["fields"])
    warning = next(f for f in record["findings"] if f["code"] == "scanned_document")
    assert warning["severity"] == "warning" and "OCR" in warning["message"]


def test_scan_without_ocr_gets_a_finding_saying_it_could_not_be_read() -> None:
    read = ReadDocument(filename="scan.pdf", sha256="0" * 64, format="pdf-scanned-no-ocr")
    (found,) = _scanned(read)
    assert found.code == "scanned_document" and "no OCR is installed" in found.message
