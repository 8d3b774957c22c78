"""The layout corpus read through the real pipeline: every text layout at 100% of fields.

Scanned forms are read by OCR when Tesseract is installed: there the identity fields must be
read in most documents (OCR is measured, not promised); without it a scanned form reads as
``pdf-scanned-no-ocr``, with nothing read and nothing crashing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.read import read_document
from testkit.corpus import (
    SCANNED,
    AccuracyReport,
    accuracy_table,
    generate_corpus,
    measure_accuracy,
)
from testkit.corpus.generate import FORM_LAYOUTS
from testkit.corpus.xlsx_layouts import VARIANTS

IDENTITY = (
    "setting_name",
    "pupil_forename",
    "pupil_surname",
    "date_of_birth",
    "upn",
    "amount_requested",
)
TEXT_LAYOUTS = (*FORM_LAYOUTS, *VARIANTS)
HAS_TESSERACT = shutil.which("tesseract") is not None


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, shipped_config: Config) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(folder, shipped_config, per_layout=2, scanned_documents=4, axes=False)
    return folder


@pytest.fixture(scope="module")
def report(corpus: Path) -> AccuracyReport:
    return measure_accuracy(corpus)


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
def test_every_text_layout_reads_every_field(report: AccuracyReport, layout: str) -> None:
    scores = [s for s in report.scores if s.layout == layout]
    assert scores, f"no corpus documents in layout {layout}"
    for score in scores:
        assert score.accuracy == 100.0, (score.kind, layout, score.misses[:5])


def test_every_form_kind_is_in_the_corpus(report: AccuracyReport) -> None:
    from schemas import FORMS

    assert {s.kind for s in report.scores} == set(FORMS)


def test_libreoffice_exports_are_measured_when_libreoffice_is_installed(
    report: AccuracyReport,
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    layouts = {s.layout for s in report.scores}
    assert {"pdf-text-libreoffice", "xlsx-cached-libreoffice"} <= layouts
    for score in report.scores:
        if "libreoffice" in score.layout:
            assert score.accuracy == 100.0, (score.kind, score.layout, score.misses[:5])


def test_accuracy_table_has_a_row_per_kind_and_layout(report: AccuracyReport) -> None:
    layouts, _ = accuracy_table(report).split("\n\n")
    assert layouts.count("\n") == len(report.scores) + 2
    assert "| ipn_referral | docx-table2 |" in layouts


def test_accuracy_table_has_a_column_for_each_axis(report: AccuracyReport) -> None:
    header = accuracy_table(report).splitlines()[0]
    for axis in ("resolution", "skew", "colour", "JPEG quality", "font", "empty answer then"):
        assert f"| {axis} |" in header


def test_scans_show_each_identity_field_and_the_amount_on_their_own(
    report: AccuracyReport,
) -> None:
    _, scans = accuracy_table(report).split("\n\n")
    header, _, *rows = scans.splitlines()
    for name in ("setting", "forename", "surname", "date of birth", "UPN", "amount requested"):
        assert f"| {name} |" in header
    assert [row.split(" | ")[0] for row in rows] == [f"| {SCANNED}"]


@pytest.mark.skipif(
    not HAS_TESSERACT and os.environ.get("CI") != "true", reason="Tesseract not installed"
)
def test_scanned_forms_have_their_identity_fields_read_by_ocr(report: AccuracyReport) -> None:
    assert HAS_TESSERACT, ".ci/run must install tesseract-ocr and tesseract-ocr-eng"
    score = report.score("ipn_referral", SCANNED)
    assert score.formats == ("pdf-ocr",)
    per_field = {field: score.field_accuracy(field) for field in IDENTITY}
    print("OCR accuracy per identity field:", per_field, f"overall {score.accuracy:.1f}%")
    assert all(accuracy >= 75.0 for accuracy in per_field.values()), per_field


def test_without_tesseract_a_scanned_form_reads_empty_and_says_so(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.read.tesseract.available", lambda: False)
    path = corpus / "ipn_referral" / SCANNED / "1.pdf"
    read = read_document(path.read_bytes(), path.name, "0" * 64)
    assert read is not None
    assert read.format == "pdf-scanned-no-ocr"
    assert read.paragraphs == () and read.grids == ()


def test_only_the_layouts_asked_for_are_written(tmp_path: Path, shipped_config: Config) -> None:
    generate_corpus(
        tmp_path, shipped_config, per_layout=1, scanned_documents=1, axes=False, only=("docx-4",)
    )

    assert {p.parent.name for p in tmp_path.glob("*/*/*.expected.json")} == {"docx-4col"}
