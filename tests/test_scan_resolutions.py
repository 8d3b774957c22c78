"""Scanned forms at the resolutions schools' scanners use, and scans too poor to read.

The scans are made here, not by the project's corpus: a generated Word form exported to PDF by
LibreOffice, rendered to greyscale by poppler's pdftoppm at the scanner's resolution, and
wrapped into an image-only PDF by Pillow, as a multifunction printer's "scan to email" does.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
from collections.abc import Callable
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter

from pipeline.config import Config
from pipeline.extract.form import extract_form
from pipeline.read import read_document
from pipeline.runner import open_context, run_inbox
from schemas import IpnReferral
from testkit.corpus import libreoffice
from testkit.samples import make_referral
from testkit.samples.word import render_form

IDENTITY = ("setting_name", "pupil_forename", "pupil_surname", "date_of_birth", "upn")
TOOLS = ("tesseract", "pdftoppm")


@pytest.fixture(scope="module")
def exported(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A generated referral as a PDF exported from Word, and what it says."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing or not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install {missing or 'LibreOffice'}")
        pytest.skip("Tesseract, pdftoppm or LibreOffice not installed")
    referral = make_referral(random.Random(31), shipped_config)
    folder = tmp_path_factory.mktemp("scans")
    (folder / "referral.docx").write_bytes(render_form(referral))
    (pdf,) = libreoffice.convert([folder / "referral.docx"], "pdf", folder)
    expected = dict(referral.values)
    expected["setting_name"] = referral.setting_as_written
    return {"pdf": pdf, "expected": expected, "folder": folder}


def scan(
    pdf: Path, ppi: int, spoil: Callable[[Image.Image, int], Image.Image] | None = None
) -> bytes:
    """The PDF as a scanner at ``ppi`` would send it; ``spoil`` damages each page image."""
    prefix = pdf.parent / f"page-{ppi}"
    subprocess.run(["pdftoppm", "-r", str(ppi), "-gray", "-png", str(pdf), str(prefix)], check=True)
    pages = [Image.open(p) for p in sorted(pdf.parent.glob(f"page-{ppi}-*.png"))]
    if spoil is not None:
        pages = [spoil(page, n) for n, page in enumerate(pages)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=ppi, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def read_back(data: bytes) -> dict[str, Any]:
    document = read_document(data, "scan.pdf", "0" * 64)
    assert document is not None and document.format == "pdf-ocr"
    form = extract_form(document, IpnReferral).form
    return {k: getattr(form, k) for k in IpnReferral.model_fields}


def same(got: Any, want: Any) -> bool:
    if isinstance(want, str) and isinstance(got, str):
        return got.split() == want.split()
    if isinstance(want, float) and isinstance(got, Decimal):
        return abs(float(got) - want) < 0.005
    return bool(got == want)


@pytest.mark.parametrize(
    ("ppi", "share"), [(100, 0.9), (110, 0.9), (150, 0.95), (200, 0.95), (300, 0.95)]
)
def test_a_scan_reads_its_fields_at_the_scanners_resolution(
    exported: dict[str, Any], ppi: int, share: float
) -> None:
    expected = exported["expected"]
    got = read_back(scan(exported["pdf"], ppi))

    right = [k for k, want in expected.items() if same(got.get(k), want)]
    key_fields = (*IDENTITY, "amount_requested")
    assert [k for k in key_fields if not same(got.get(k), expected[k])] == []
    assert len(right) >= share * len(expected), sorted(set(expected) - set(right))


def smudged(page: Image.Image, n: int) -> Image.Image:
    """A page smudged below its heading, as a fax or a wet copy comes out."""
    keep = page.height // 5 if n == 0 else 0
    spoilt = page.filter(ImageFilter.GaussianBlur(radius=page.width / 180))
    spoilt.paste(page.crop((0, 0, page.width, keep)), (0, 0))
    return spoilt


def emailed(config: Config, pdf: bytes) -> Path:
    message = EmailMessage()
    message["From"] = f"senco@{config.settings[0].domains[0]}"
    message["To"] = config.cluster.mailbox
    message["Subject"] = "Scanned referral"
    message["Date"] = "Wed, 01 Oct 2025 09:00:00 +0100"
    message.set_content("Scanned copy attached.")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename="scan.pdf")
    path = config.paths.inbox / "scan.eml"
    path.write_bytes(bytes(message))
    with open_context(config) as ctx:
        run_inbox(ctx)
    return path


def findings_of(config: Config) -> list[dict[str, Any]]:
    (path,) = (config.paths.outbox / "submissions").iterdir()
    found: list[dict[str, Any]] = json.loads(path.read_text())["findings"]
    return [f for f in found if f["document"] == "scan.pdf"]


def test_a_110_ppi_scan_is_not_told_its_answers_are_missing(
    exported: dict[str, Any], config: Config
) -> None:
    emailed(config, scan(exported["pdf"], 110))

    codes = [f["code"] for f in findings_of(config)]
    assert "missing_field" not in codes and "scan_unreadable" not in codes


def test_a_scan_that_cannot_be_read_gives_one_finding_asking_for_the_word_version(
    exported: dict[str, Any], config: Config
) -> None:
    emailed(config, scan(exported["pdf"], 150, smudged))

    (only,) = findings_of(config)
    assert only["code"] == "scan_unreadable" and only["severity"] == "error"
    assert "could not be read well enough" in only["message"]
    (reply,) = (config.paths.outbox / "replies").iterdir()
    text = reply.read_text()
    assert "as the Word document" in text and "is missing on the" not in text


@pytest.mark.parametrize("degrees", [-3.0, 2.0])
def test_a_skewed_scan_is_straightened_and_read(exported: dict[str, Any], degrees: float) -> None:
    def skewed(page: Image.Image, n: int) -> Image.Image:
        return page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)

    expected = exported["expected"]
    got = read_back(scan(exported["pdf"], 200, skewed))

    right = [k for k, want in expected.items() if same(got.get(k), want)]
    assert [k for k in IDENTITY if not same(got.get(k), expected[k])] == []
    assert len(right) >= 0.95 * len(expected), sorted(set(expected) - set(right))
