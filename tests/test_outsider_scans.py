"""Scans the project's own corpus does not make: pages fed into the scanner the wrong way up,
and a scan of more pages than OCR reads.

A generated Word referral is exported to PDF by LibreOffice, rendered by poppler's pdftoppm
as a scanner would, turned as the pages went in, and wrapped into an image-only PDF by
Pillow; the email carrying it goes through a whole run, and the submission's JSON is read.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.config import Config
from pipeline.read.pdf_formats import MAX_OCR_PAGES
from pipeline.runner import open_context, run_inbox
from testkit.corpus import libreoffice
from testkit.samples import make_referral
from testkit.samples.word import render_form

IDENTITY = ("pupil_forename", "pupil_surname", "upn")
TOOLS = ("tesseract", "pdftoppm")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # each page's line its own (a line on every page is furniture)


@pytest.fixture(scope="module")
def exported(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A generated referral as a PDF exported from Word, and what it says."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing or not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install {missing or 'LibreOffice'}")
        pytest.skip("Tesseract, pdftoppm or LibreOffice not installed")
    referral = make_referral(random.Random(47), shipped_config)
    folder = tmp_path_factory.mktemp("turned")
    (folder / "referral.docx").write_bytes(render_form(referral))
    (pdf,) = libreoffice.convert([folder / "referral.docx"], "pdf", folder)
    return {"pdf": pdf, "expected": dict(referral.values)}


def turned_scan(pdf: Path, degrees: int) -> bytes:
    """The PDF scanned at 200 ppi with every page turned ``degrees`` anticlockwise."""
    prefix = pdf.parent / f"turned-{degrees}"
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", str(pdf), str(prefix)], check=True)
    pages = [
        Image.open(p).rotate(degrees, expand=True)
        for p in sorted(pdf.parent.glob(f"turned-{degrees}-*.png"))
    ]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def scan_as_read(config: Config, pdf: bytes) -> dict[str, Any]:
    """The scan emailed by a cluster school and run: its document in the submission's JSON."""
    documents: list[dict[str, Any]] = run_scan(config, pdf)["documents"]
    (document,) = documents
    return document


def run_scan(config: Config, pdf: bytes) -> dict[str, Any]:
    """The scan emailed by a cluster school and run: the submission's JSON."""
    message = EmailMessage()
    message["From"] = f"senco@{config.settings[0].domains[0]}"
    message["To"] = config.cluster.mailbox
    message["Subject"] = "Scanned referral"
    message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
    message.set_content("Scanned copy attached.")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="scan.pdf")
    (config.paths.inbox / "scan.eml").write_bytes(bytes(message))
    with open_context(config) as ctx:
        run_inbox(ctx)
    (path,) = (config.paths.outbox / "submissions").iterdir()
    record: dict[str, Any] = json.loads(path.read_text())
    return record


@pytest.mark.parametrize("degrees", [180, 90])
def test_a_form_scanned_upside_down_or_on_its_side_is_read_as_the_form(
    exported: dict[str, Any], config: Config, degrees: int
) -> None:
    document = scan_as_read(config, turned_scan(exported["pdf"], degrees))

    assert document["kind"] == "ipn_referral"
    expected = exported["expected"]
    assert {k: document["fields"].get(k) for k in IDENTITY} == {k: expected[k] for k in IDENTITY}


def slip(text: str) -> Image.Image:
    """A small scanned page holding one printed line (quick to read, many to a scan)."""
    page = Image.new("L", (1400, 160), 255)
    font = ImageFont.truetype(FONT, 40) if Path(FONT).exists() else ImageFont.load_default(40)
    ImageDraw.Draw(page).text((40, 50), text, fill=0, font=font)
    return page


def test_a_scan_longer_than_ocr_reads_says_which_pages_were_not_read(
    exported: dict[str, Any], config: Config
) -> None:
    pages = MAX_OCR_PAGES + 3
    slips = [slip(f"Reading log {LETTERS[n]}: read aloud with an adult") for n in range(pages)]
    buffer = io.BytesIO()
    slips[0].save(buffer, "PDF", resolution=200, save_all=True, append_images=slips[1:])

    record = run_scan(config, buffer.getvalue())

    (scanned,) = [f for f in record["findings"] if f["code"] == "scanned_document"]
    assert f"only its first {MAX_OCR_PAGES} of {pages} pages were read" in scanned["message"]
