"""Scans along the axes a scanner and a school's template vary: colour, JPEG noise, fonts.

- colour: the page scanned in colour onto cream paper with dark blue-grey ink, at 200 ppi;
- JPEG noise: the greyscale scan compressed harder than the other scans (Pillow's 75), at
  quality 60 and 50, as a multifunction printer's "small file" setting does;
- fonts and sizes: the Word form's text set in Arial, Calibri or Times New Roman at 9 to
  14 pt (LibreOffice draws them with their metric twins Liberation Sans, Carlito and
  Liberation Serif), exported to PDF, kept as a text PDF and scanned at 200 ppi.

Made with python-docx, LibreOffice, pdftoppm and Pillow, never with the readers' helpers.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Pt
from PIL import Image

from schemas import Form
from testkit.corpus import libreoffice
from testkit.corpus.docx_layouts import table2
from testkit.corpus.values import Truth

Write = Callable[[str, str, int, str, bytes, dict[str, Any]], Path | None]

SCAN_PPI = 200
PAPER = (247, 241, 222)  # cream office paper
INK = (30, 36, 70)  # dark blue-grey toner as a colour scanner sees it
JPEG_QUALITIES = (60, 50)
FONTS = (("Arial", 9), ("Calibri", 11), ("Times New Roman", 14))


def font_layout(family: str, size: int) -> str:
    return f"{family.split()[0].lower()}-{size}pt"


SCAN_AXIS_VALUES: dict[str, dict[str, str]] = {
    "pdf-scan-colour": {"colour": "colour", "resolution": f"{SCAN_PPI} ppi"},
    **{
        f"pdf-scan-jpeg-{q}": {"JPEG quality": str(q), "resolution": f"{SCAN_PPI} ppi"}
        for q in JPEG_QUALITIES
    },
    **{
        f"pdf-scan-font-{font_layout(f, s)}": {"font": f"{f} {s} pt", "resolution": "200 ppi"}
        for f, s in FONTS
    },
    **{f"pdf-font-{font_layout(f, s)}": {"font": f"{f} {s} pt"} for f, s in FONTS},
}


def scan_axes(
    write: Write, form: type[Form], truth: Truth, n: int, expected: dict[str, Any], work: Path
) -> list[Path | None]:
    """The colour, JPEG and font scans of one form (the fonts also as text PDFs)."""
    source = work / "plain.docx"
    source.write_bytes(table2(form, truth, n))
    (pdf,) = libreoffice.convert([source], "pdf", work / "plain")
    written = [
        write(form.kind, "pdf-scan-colour", n, "pdf", _pdf(_colour(pdf)), expected),
        *(
            write(form.kind, f"pdf-scan-jpeg-{q}", n, "pdf", _pdf(_grey(pdf), quality=q), expected)
            for q in JPEG_QUALITIES
        ),
    ]
    for family, size in FONTS:
        name = font_layout(family, size)
        styled = work / f"font-{name}.docx"
        styled.write_bytes(_in_font(table2(form, truth, n), family, size))
        (font_pdf,) = libreoffice.convert([styled], "pdf", work / f"font-{name}")
        text = font_pdf.read_bytes()
        written.append(write(form.kind, f"pdf-font-{name}", n, "pdf", text, expected))
        scan = _pdf(_grey(font_pdf))
        written.append(write(form.kind, f"pdf-scan-font-{name}", n, "pdf", scan, expected))
    return written


def _in_font(docx: bytes, family: str, size: int) -> bytes:
    """The document's body text (and so its table) set in ``family`` at ``size`` points."""
    document = Document(io.BytesIO(docx))
    normal = document.styles["Normal"].font
    normal.name, normal.size = family, Pt(size)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rendered(pdf: Path, colour: bool) -> list[Image.Image]:
    prefix = pdf.parent / ("colour" if colour else "grey")
    mode = [] if colour else ["-gray"]
    subprocess.run(
        ["pdftoppm", "-r", str(SCAN_PPI), *mode, "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    return [Image.open(p) for p in sorted(pdf.parent.glob(f"{prefix.name}-*.png"))]


def _grey(pdf: Path) -> list[Image.Image]:
    return _rendered(pdf, colour=False)


def _colour(pdf: Path) -> list[Image.Image]:
    """White paper made cream and black ink made blue-grey, as a colour scan shows them."""
    pages = []
    for page in _rendered(pdf, colour=True):
        rgb = page.convert("RGB")
        paper = Image.new("RGB", rgb.size, PAPER)
        ink = Image.new("RGB", rgb.size, INK)
        pages.append(Image.composite(paper, ink, rgb.convert("L")))
    return pages


def _pdf(pages: list[Image.Image], quality: int = 75) -> bytes:
    """An image-only PDF, each page a JPEG of ``quality`` (Pillow writes them so)."""
    buffer = io.BytesIO()
    pages[0].save(
        buffer,
        "PDF",
        resolution=SCAN_PPI,
        save_all=True,
        append_images=pages[1:],
        quality=quality,
    )
    return buffer.getvalue()
