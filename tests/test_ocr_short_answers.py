"""A scanned form's short answers standing alone in their cells are read, in a font the
reader was not written for.

Tesseract's automatic page segmentation reads a bordered form's answers in blocks, and drops
a lone "0" or "97%" between two blocks as noise; the reader reads the ink it left unread
piece by piece. The scan is made here: the project's sample referral (written in Arial) set
in Calibri 11 pt by python-docx, exported by LibreOffice (which draws it in Carlito, its
metric twin), rendered to greyscale at 200 ppi by poppler's pdftoppm and wrapped into an
image-only PDF by Pillow.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Pt
from PIL import Image

from pipeline.config import Config
from pipeline.extract.form import extract_form
from pipeline.read import read_document
from schemas import IpnReferral
from testkit.corpus import libreoffice
from testkit.samples import make_referral
from testkit.samples.word import render_form

PPI = 200
SHORT_ANSWERS = ("looked_after", "attendance_percent", "suspensions_this_year", "apdr_cycles")


def in_calibri(docx: bytes) -> bytes:
    document = Document(io.BytesIO(docx))
    for style in ("Normal", "Table Grid"):
        if style in [s.name for s in document.styles]:
            document.styles[style].font.name = "Calibri"
            document.styles[style].font.size = Pt(11)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scanned(pdf: Path) -> bytes:
    prefix = pdf.parent / "page"
    subprocess.run(["pdftoppm", "-r", str(PPI), "-gray", "-png", str(pdf), str(prefix)], check=True)
    pages = [Image.open(p) for p in sorted(pdf.parent.glob("page-*.png"))]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=PPI, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


@pytest.fixture(scope="module")
def read_back(
    shipped_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the Calibri scan says, and what was read from it."""
    missing = [t for t in ("tesseract", "pdftoppm") if shutil.which(t) is None]
    if missing or not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install {missing or 'LibreOffice'}")
        pytest.skip("Tesseract, pdftoppm or LibreOffice not installed")
    referral = make_referral(random.Random(14), shipped_config)
    folder = tmp_path_factory.mktemp("calibri")
    (folder / "referral.docx").write_bytes(in_calibri(render_form(referral)))
    (pdf,) = libreoffice.convert([folder / "referral.docx"], "pdf", folder)
    document = read_document(scanned(pdf), "scan.pdf", "0" * 64)
    assert document is not None and document.format == "pdf-ocr"
    form = extract_form(document, IpnReferral).form
    return dict(referral.values), {k: getattr(form, k) for k in IpnReferral.model_fields}


@pytest.mark.parametrize("field", SHORT_ANSWERS)
def test_a_short_answer_alone_in_its_cell_is_read_in_calibri(
    read_back: tuple[dict[str, Any], dict[str, Any]], field: str
) -> None:
    expected, got = read_back
    assert got[field] == expected[field]
