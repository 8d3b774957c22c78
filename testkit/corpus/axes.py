"""The corpus along axes the readers were not written for, each value its own layout.

- scan resolution: a Word form exported by LibreOffice, rendered by poppler's pdftoppm at
  100, 150, 200 and 300 ppi and wrapped into an image-only PDF by Pillow;
- skew: the 200 ppi scan turned by 1, 2 and 3 degrees;
- page breaks: a form whose rows may break across pages, pushed down by a few lines so the
  breaks fall inside different answers, exported to PDF;
- LibreOffice re-saves: the Word form saved again as .doc, .odt and .rtf, the provision map
  as .xls (Excel 97-2003) and .ods (LibreOffice Calc);
- page breaks in a one-column table: every row "Label: answer" in a single cell, so the rest
  of an answer the break carries over has no empty label cell to be known by;
- colour, JPEG noise and fonts (:mod:`testkit.corpus.scan_axes`) and empty answers followed
  by a heading, a label or a blank row (:mod:`testkit.corpus.empty_answers`).

Made with pdftoppm, Pillow and LibreOffice, never with the readers' own helpers.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

from pipeline.config import Config
from schemas import FORMS, Form, IpnReferral, ProvisionMap, specs
from testkit.corpus import libreoffice
from testkit.corpus.docx_layouts import box_text, new_document, saved, set_cell, table2
from testkit.corpus.empty_answers import EMPTY_AXIS_VALUES, empty_answers
from testkit.corpus.map_resaves import MAP_RESAVES, map_resaves
from testkit.corpus.scan_axes import SCAN_AXIS_VALUES, scan_axes
from testkit.corpus.values import Truth, expected_json, truth_for

Write = Callable[[str, str, int, str, bytes, dict[str, Any]], Path]

RESOLUTIONS = (100, 150, 200, 300)
SKEWS = (1.0, 2.0, 3.0)
SKEW_PPI = 200
RESAVES = ("doc", "odt", "rtf")
PAGE_BREAK_PADDING = (3, 11, 19)  # lines above the form: each puts the breaks elsewhere
ONE_COLUMN_PADDING = (4, 12, 18)
AXIS_COLUMNS = (
    "resolution",
    "skew",
    "colour",
    "JPEG quality",
    "font",
    "page breaks",
    "LibreOffice re-save",
    "empty answer then",
)
_AXIS_VALUES: dict[str, dict[str, str]] = {
    "pdf-scanned": {"resolution": "200 ppi (pypdfium2)", "skew": "0° / 0.6°"},
    **{f"pdf-scan-{ppi}ppi": {"resolution": f"{ppi} ppi"} for ppi in RESOLUTIONS},
    **{
        f"pdf-scan-skew-{deg:g}deg": {"skew": f"{deg:g}°", "resolution": f"{SKEW_PPI} ppi"}
        for deg in SKEWS
    },
    **{f"pdf-page-breaks-{n}": {"page breaks": f"{n} lines down"} for n in PAGE_BREAK_PADDING},
    **{
        f"pdf-page-breaks-one-column-{n}": {"page breaks": f"one column, {n} lines down"}
        for n in ONE_COLUMN_PADDING
    },
    **{f"docx-resaved-{target}": {"LibreOffice re-save": f".{target}"} for target in RESAVES},
    **{f"xlsx-resaved-{target}": {"LibreOffice re-save": f".{target}"} for target in MAP_RESAVES},
    **SCAN_AXIS_VALUES,
    **EMPTY_AXIS_VALUES,
}
_SCAN_DEFAULTS = {"colour": "grey", "JPEG quality": "75", "skew": "0°"}


def is_scan(layout: str) -> bool:
    return layout.startswith("pdf-scan")


def axis_values(layout: str) -> dict[str, str]:
    """The layout's value on each axis it varies; a scan's colour, JPEG and skew always."""
    values = dict(_SCAN_DEFAULTS) if is_scan(layout) else {}
    return values | _AXIS_VALUES.get(layout, {})


def axis_corpus(
    write: Write, config: Config, per_layout: int, scans: int, seed: int, scratch: Path
) -> list[Path]:
    """Every axis value as a layout; nothing without LibreOffice (it makes the PDFs)."""
    if not libreoffice.available():
        return []
    written: list[Path] = []
    for kind, form in FORMS.items():
        if form is ProvisionMap:
            written += map_resaves(write, config, per_layout, seed, scratch / "axes")
            continue
        for n in range(1, per_layout + 1):
            truth = truth_for(form, random.Random(f"{seed}:{kind}:{n}"), config)
            expected = {"kind": kind, "fields": expected_json(truth)}
            work = scratch / "axes" / f"{kind}-{n}"
            work.mkdir(parents=True)
            written += _resaves(write, form, truth, n, expected, work)
            written += empty_answers(write, form, truth, n, work)
            if form is IpnReferral:
                written += _page_breaks(write, form, truth, n, expected, work)
                written += _one_column_breaks(write, form, truth, n, expected, work)
                if n <= scans and shutil.which("pdftoppm"):
                    written += _scans(write, form, truth, n, expected, work)
                    written += scan_axes(write, form, truth, n, expected, work)
    return written


def _resaves(
    write: Write, form: type[Form], truth: Truth, n: int, expected: dict[str, Any], work: Path
) -> list[Path]:
    source = work / "form.docx"
    source.write_bytes(table2(form, truth, n))
    return [
        write(form.kind, f"docx-resaved-{target}", n, target, path.read_bytes(), expected)
        for target in RESAVES
        for path in libreoffice.convert([source], target, work / target)
    ]


def _page_breaks(
    write: Write, form: type[Form], truth: Truth, n: int, expected: dict[str, Any], work: Path
) -> list[Path]:
    written = []
    for padding in PAGE_BREAK_PADDING:
        source = work / f"breaks-{padding}.docx"
        source.write_bytes(_breakable_rows(form, truth, n, padding))
        (pdf,) = libreoffice.convert([source], "pdf", work / "breaks")
        layout = f"pdf-page-breaks-{padding}"
        written.append(write(form.kind, layout, n, "pdf", pdf.read_bytes(), expected))
    return written


def _one_column_breaks(
    write: Write, form: type[Form], truth: Truth, n: int, expected: dict[str, Any], work: Path
) -> list[Path]:
    sources = []
    for padding in ONE_COLUMN_PADDING:
        source = work / f"one-column-{padding}.docx"
        source.write_bytes(_one_column_rows(form, truth, n, padding))
        sources.append(source)
    return [
        write(
            form.kind, f"pdf-page-breaks-one-column-{padding}", n, "pdf", pdf.read_bytes(), expected
        )
        for padding, pdf in zip(
            ONE_COLUMN_PADDING,
            libreoffice.convert(sources, "pdf", work / "one-column"),
            strict=True,
        )
    ]


def _one_column_rows(form: type[Form], truth: Truth, n: int, padding: int) -> bytes:
    """One cell a row, "Label: answer", rows free to break across pages."""
    document = new_document(form)
    for line in range(padding):
        document.add_paragraph(f"Note {line + 1}: please answer every question.")
    table = document.add_table(rows=0, cols=1)
    table.style = "Table Grid"
    for spec in specs(form):
        (cell,) = table.add_row().cells
        set_cell(cell, f"{spec.label}: {box_text(spec, truth, n)}")
    return saved(document)


def _breakable_rows(form: type[Form], truth: Truth, n: int, padding: int) -> bytes:
    """Label and value side by side, rows free to break across pages (Word's default)."""
    document = new_document(form)
    for line in range(padding):
        document.add_paragraph(f"Note {line + 1}: please answer every question.")
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for spec in specs(form):
        label, value = table.add_row().cells
        label.text = spec.label
        set_cell(value, box_text(spec, truth, n))
    return saved(document)


def _scans(
    write: Write, form: type[Form], truth: Truth, n: int, expected: dict[str, Any], work: Path
) -> list[Path]:
    source = work / "scan.docx"
    source.write_bytes(table2(form, truth, n))
    (pdf,) = libreoffice.convert([source], "pdf", work / "scan")
    written = []
    for ppi in RESOLUTIONS:
        data = scan_pdf(pdf, ppi)
        written.append(write(form.kind, f"pdf-scan-{ppi}ppi", n, "pdf", data, expected))
    for degrees in SKEWS:
        turned = [
            page.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
            for page in _pages(pdf, SKEW_PPI)
        ]
        data = _image_pdf(turned, SKEW_PPI)
        written.append(write(form.kind, f"pdf-scan-skew-{degrees:g}deg", n, "pdf", data, expected))
    return written


def scan_pdf(pdf: Path, ppi: int) -> bytes:
    """The PDF as a scanner at ``ppi`` would send it: each page rendered in grey by pdftoppm
    (into the PDF's own folder) and wrapped into an image-only PDF."""
    return _image_pdf(_pages(pdf, ppi), ppi)


def _pages(pdf: Path, ppi: int) -> list[Image.Image]:
    prefix = pdf.parent / f"page-{ppi}"
    subprocess.run(
        ["pdftoppm", "-r", str(ppi), "-gray", "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    return [Image.open(p) for p in sorted(pdf.parent.glob(f"page-{ppi}-*.png"))]


def _image_pdf(pages: list[Image.Image], ppi: int) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=ppi, save_all=True, append_images=pages[1:])
    return buffer.getvalue()
