"""The scanned scenarios' workload: referral forms printed, signed and scanned.

One email in ten of the backlog (``SCAN_SLOT``, an IPN referral) carries its referral form as
a two-page scan instead of the Word form, its provision map and report as before: the same
Word form, exported to PDF by LibreOffice and scanned by the accuracy corpus's scanner
(:func:`testkit.corpus.axes.scan_pdf`: pdftoppm in grey, wrapped into an image-only PDF) at
150 or 300 ppi. The single-form scenario is the first of those scans alone in an email.
Cached in ``benchmarks/.cache/scanned/`` beside the text backlog.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path, PurePath

from pypdf import PdfReader

from testkit.benchmarks.workload import CACHE, base_config, email_name, ensure_emails, ipn_referral
from testkit.corpus import libreoffice
from testkit.corpus.axes import scan_pdf
from testkit.samples.email_message import attachments, email_bytes
from testkit.samples.word import render_form

SCAN_SLOT = 5  # of every ten emails, the one whose form is scanned
RESOLUTIONS = (150, 300)
SCANNED = CACHE / "scanned"


def available() -> bool:
    return libreoffice.available() and shutil.which("pdftoppm") is not None


def scanned_indices(size: int) -> list[int]:
    return [index for index in range(size) if index % 10 == SCAN_SLOT]


def scanned_backlog(size: int, ppi: int) -> Path:
    """Emails 0 .. size-1 of the backlog, one in ten with its form scanned at ``ppi``."""
    text = ensure_emails(CACHE / "emails", range(size))
    scans = set(scanned_indices(size))
    ensure_scans(sorted(scans))
    folder = CACHE / f"backlog-{size}-scan{ppi}"
    if folder.is_dir() and len(list(folder.iterdir())) == size:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for index, path in enumerate(text):
        source = _email_path(index, ppi) if index in scans else path
        os.link(source, folder / path.name)
    return folder


def one_scanned_form(ppi: int) -> Path:
    """A drop folder holding one email that carries only the first scanned form."""
    ensure_scans([SCAN_SLOT])
    folder = CACHE / f"one-scan-{ppi}"
    if not folder.is_dir():
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        referral = ipn_referral(SCAN_SLOT, base_config())
        name = str(PurePath(referral.form_filename).with_suffix(".pdf"))
        data = email_bytes(referral, [(name, _scan_path(SCAN_SLOT, ppi).read_bytes())])
        (partial / email_name(SCAN_SLOT)).write_bytes(data)
        partial.replace(folder)
    return folder


def ocr_pages(size: int, ppi: int) -> Path:
    """The scanned backlog's page images, made ready for Tesseract as the pipeline makes them
    ready (for the OCR floor, ``floors.py``); cached beside the scans."""
    from testkit.benchmarks.floors import prepare_pages

    indices = scanned_indices(size)
    ensure_scans(indices)
    folder = SCANNED / f"{ppi}ppi" / f"pages-{size}"
    prepare_pages([_scan_path(index, ppi) for index in indices], folder)
    return folder


def scan_pages(ppi: int) -> int:
    """Pages of the scanned form (the forms are two pages long)."""
    return len(PdfReader(io.BytesIO(_scan_path(SCAN_SLOT, ppi).read_bytes())).pages)


def ensure_scans(indices: list[int]) -> None:
    """The scanned form and its email at every resolution, for each of ``indices``."""
    missing = [i for i in indices if not all(_email_path(i, p).exists() for p in RESOLUTIONS)]
    if not missing:
        return
    config = base_config()
    with tempfile.TemporaryDirectory(prefix="bench-scans-") as scratch:
        sources = []
        for index in missing:
            source = Path(scratch) / f"form-{index:06d}.docx"
            source.write_bytes(render_form(ipn_referral(index, config)))
            sources.append(source)
        pdfs = libreoffice.convert(sources, "pdf", Path(scratch) / "pdf")
        for index, pdf in zip(missing, pdfs, strict=True):
            for ppi in RESOLUTIONS:
                own = Path(scratch) / f"{index}-{ppi}"  # pdftoppm's page images go beside it
                own.mkdir()
                copy = shutil.copy(pdf, own / "form.pdf")
                _write(_scan_path(index, ppi), scan_pdf(Path(copy), ppi))
                _write(_email_path(index, ppi), _scanned_email(index, ppi))


def _scanned_email(index: int, ppi: int) -> bytes:
    """Email ``index`` of the backlog with its Word form replaced by the scan."""
    referral = ipn_referral(index, base_config())
    files = attachments(referral)
    form_name, _ = files[0]  # the form comes first
    files[0] = (str(PurePath(form_name).with_suffix(".pdf")), _scan_path(index, ppi).read_bytes())
    return email_bytes(referral, files)


def _scan_path(index: int, ppi: int) -> Path:
    return SCANNED / f"{ppi}ppi" / f"form-{index:06d}.pdf"


def _email_path(index: int, ppi: int) -> Path:
    return SCANNED / f"{ppi}ppi" / email_name(index)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
