"""A Word form saved again by LibreOffice reads the same values as the original."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from records import located_values

from pipeline.config import Config
from pipeline.extract.form import extract_form
from pipeline.read import read_document
from schemas import IpnReferral
from testkit.corpus import libreoffice
from testkit.samples import make_referral
from testkit.samples.word import render_form


def values(path: Path) -> dict[str, object]:
    read = read_document(path.read_bytes(), path.name, "0" * 64)
    assert read is not None
    return located_values(extract_form(read, IpnReferral))


def test_docx_saved_by_libreoffice_reads_the_same(shipped_config: Config, tmp_path: Path) -> None:
    if not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(".ci/run must install libreoffice-writer-nogui (soffice not found)")
        pytest.skip("LibreOffice not installed")
    original = tmp_path / "referral.docx"
    original.write_bytes(render_form(make_referral(random.Random(7), shipped_config)))
    (saved,) = libreoffice.convert([original], "docx", tmp_path / "saved")
    assert saved.read_bytes() != original.read_bytes()
    assert values(saved) == values(original)


@pytest.mark.parametrize("target", ["doc", "odt", "rtf"])
def test_form_saved_by_libreoffice_in_another_format_reads_the_same_fields(
    shipped_config: Config, tmp_path: Path, target: str
) -> None:
    if not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(".ci/run must install libreoffice-writer-nogui (soffice not found)")
        pytest.skip("LibreOffice not installed")
    original = tmp_path / "referral.docx"
    original.write_bytes(render_form(make_referral(random.Random(8), shipped_config)))
    (saved,) = libreoffice.convert([original], target, tmp_path / "saved")

    assert values(saved) == values(original)
