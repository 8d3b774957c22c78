"""Write the layout corpus: every form kind in every layout, each with its expected values.

``<folder>/<kind>/<layout>/<n>.<ext>`` beside ``<n>.expected.json`` (the kind, the layout and
the normalised values the pipeline should read). Generated, never committed.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.config import Config
from schemas import FORMS, Form, IpnReferral, ProvisionMap
from testkit.corpus import libreoffice
from testkit.corpus.axes import axis_corpus
from testkit.corpus.docx_fields import content_controls, legacy_fields, merged
from testkit.corpus.docx_layouts import four_columns, label_above, paragraphs, table2
from testkit.corpus.pdf_layouts import acroform, ruled_table, spaced_lines
from testkit.corpus.scanned import scanned
from testkit.corpus.values import Truth, expected_json, truth_for
from testkit.corpus.xlsx_layouts import VARIANTS, expected_map, provision_map
from testkit.samples import make_referral

Render = Callable[[type[Form], Truth, int], bytes]

FORM_LAYOUTS: dict[str, tuple[Render, str]] = {
    "docx-table2": (table2, "docx"),
    "docx-label-above": (label_above, "docx"),
    "docx-4col": (four_columns, "docx"),
    "docx-paragraphs": (paragraphs, "docx"),
    "docx-content-controls": (content_controls, "docx"),
    "docx-legacy-fields": (legacy_fields, "docx"),
    "docx-merged": (merged, "docx"),
    "pdf-text-reportlab": (ruled_table, "pdf"),
    "pdf-lines-reportlab": (spaced_lines, "pdf"),
    "pdf-acroform": (acroform, "pdf"),
}
LIBREOFFICE_PDF = "pdf-text-libreoffice"
LIBREOFFICE_XLSX = "xlsx-cached-libreoffice"
SCANNED = "pdf-scanned"
SCANNED_KINDS = (IpnReferral.kind,)


def wanted(layout: str, only: tuple[str, ...]) -> bool:
    """Whether ``layout`` is among those asked for (named by prefix; all when none are)."""
    return not only or any(layout.startswith(prefix) for prefix in only)


def generate_corpus(
    folder: Path,
    config: Config,
    *,
    per_layout: int = 3,
    scanned_documents: int = 4,
    seed: int = 2025,
    use_libreoffice: bool | None = None,
    axes: bool = True,
    only: tuple[str, ...] = (),
) -> list[Path]:
    """Write the corpus into ``folder``; the documents written (without their .json).

    ``only`` names the layouts to write by prefix (``pdf-scan`` for every scan), so one axis
    can be measured on more documents without generating (or OCR-reading) the rest;
    ``scanned_documents`` is the number of documents in each scanned layout."""
    use_libreoffice = libreoffice.available() if use_libreoffice is None else use_libreoffice
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="corpus-") as scratch:
        to_convert: list[tuple[Path, Path, dict[str, Any]]] = []
        for kind, form in FORMS.items():
            if form is ProvisionMap:
                written += _maps(folder, config, per_layout, seed, to_convert, Path(scratch), only)
                continue
            for n in range(1, per_layout + 1):
                truth = truth_for(form, random.Random(f"{seed}:{kind}:{n}"), config)
                expected = {"kind": kind, "fields": expected_json(truth)}
                for layout, (render, ext) in FORM_LAYOUTS.items():
                    data = render(form, truth, n)
                    if wanted(layout, only):
                        written.append(_write(folder, kind, layout, n, ext, data, expected))
                    if (
                        layout == "docx-table2"
                        and use_libreoffice
                        and wanted(LIBREOFFICE_PDF, only)
                    ):
                        source = Path(scratch) / f"{kind}-{n}.docx"
                        source.write_bytes(data)
                        to_convert.append((source, folder / kind / LIBREOFFICE_PDF, expected))
                if kind in SCANNED_KINDS and n <= scanned_documents and wanted(SCANNED, only):
                    image = scanned(spaced_lines(form, truth, n), n)
                    written.append(_write(folder, kind, SCANNED, n, "pdf", image, expected))
            if wanted(SCANNED, only):
                written += _scanned_extra(folder, config, form, per_layout, scanned_documents, seed)
        written += _convert(to_convert, Path(scratch) / "out")
        if use_libreoffice and axes:

            def write(*args: Any) -> Path | None:
                return _write(folder, *args) if wanted(args[1], only) else None

            made = axis_corpus(
                write, config, per_layout, scanned_documents, seed, Path(scratch), only
            )
            written += [path for path in made if path is not None]
    return written


def _scanned_extra(
    folder: Path, config: Config, form: type[Form], done: int, wanted: int, seed: int
) -> list[Path]:
    """Scanned documents beyond ``per_layout``, so the scanned set has its own size."""
    if form.kind not in SCANNED_KINDS:
        return []
    written = []
    for n in range(done + 1, wanted + 1):
        truth = truth_for(form, random.Random(f"{seed}:{form.kind}:{n}"), config)
        expected = {"kind": form.kind, "fields": expected_json(truth)}
        image = scanned(spaced_lines(form, truth, n), n)
        written.append(_write(folder, form.kind, SCANNED, n, "pdf", image, expected))
    return written


def _maps(
    folder: Path,
    config: Config,
    per_layout: int,
    seed: int,
    to_convert: list[tuple[Path, Path, dict[str, Any]]],
    scratch: Path,
    only: tuple[str, ...],
) -> list[Path]:
    written: list[Path] = []
    kind = ProvisionMap.kind
    for n in range(1, per_layout + 1):
        referral = make_referral(random.Random(f"{seed}:{kind}:{n}"), config)
        expected = {"kind": kind, **expected_map(referral)}
        for layout, variant in VARIANTS.items():
            data = provision_map(referral, variant, n)
            if wanted(layout, only):
                written.append(_write(folder, kind, layout, n, "xlsx", data, expected))
            if layout == "xlsx-plain" and wanted(LIBREOFFICE_XLSX, only):
                source = scratch / f"{kind}-{n}.xlsx"
                source.write_bytes(data)
                to_convert.append((source, folder / kind / LIBREOFFICE_XLSX, expected))
    return written


def _convert(jobs: list[tuple[Path, Path, dict[str, Any]]], out: Path) -> list[Path]:
    """Save the collected files through LibreOffice: Word forms to PDF, workbooks again."""
    written = []
    for target in ("pdf", "xlsx"):
        source_suffix = ".docx" if target == "pdf" else ".xlsx"
        batch = [job for job in jobs if job[0].suffix == source_suffix]
        if not batch:
            continue
        for (source, layout_dir, expected), result in zip(
            batch, libreoffice.convert([job[0] for job in batch], target, out), strict=True
        ):
            n = int(source.stem.rsplit("-", 1)[1])
            kind, layout = layout_dir.parent.name, layout_dir.name
            written.append(
                _write(
                    layout_dir.parent.parent, kind, layout, n, target, result.read_bytes(), expected
                )
            )
    return written


def _write(
    folder: Path, kind: str, layout: str, n: int, ext: str, data: bytes, expected: dict[str, Any]
) -> Path:
    directory = folder / kind / layout
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{n}.{ext}"
    path.write_bytes(data)
    record = {**expected, "layout": layout}
    (directory / f"{n}.expected.json").write_text(json.dumps(record, indent=1, sort_keys=True))
    return path
