"""A provision map saved by LibreOffice Calc (.ods) or as Excel 97-2003 (.xls) reads like the
.xlsx it was saved from; a password-protected or damaged one gets a finding that says so.

Every file here is written by a real tool: the generated map by openpyxl, its other formats
by LibreOffice.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from records import codes, record_of

from pipeline.config import Config
from pipeline.extract.provision_map import extract_provision_map
from pipeline.read import Unreadable, read_document
from pipeline.read.active_content import ActiveContent
from pipeline.runner import open_context, run_inbox
from pipeline.sandbox import Limits, guarded_read
from testkit.corpus import libreoffice
from testkit.corpus.lo_basic import save_with_macro, save_with_password
from testkit.samples import make_referral, sample
from testkit.samples.email_message import attachments, email_bytes
from testkit.samples.xlsx_map import render_provision_map

FORMATS = ["ods", "xls"]
FILTERS = {"ods": "calc8", "xls": "MS Excel 97"}


@pytest.fixture(autouse=True)
def needs_libreoffice() -> None:
    if not libreoffice.available():
        if os.environ.get("CI") == "true":
            pytest.fail(".ci/run must install libreoffice-calc-nogui (soffice not found)")
        pytest.skip("LibreOffice not installed")


def generated_map(config: Config, folder: Path, seed: int) -> Path:
    path = folder / "Provision map.xlsx"
    path.write_bytes(render_provision_map(make_referral(random.Random(seed), config)))
    return path


def saved_as(source: Path, target: str) -> Path:
    (saved,) = libreoffice.convert([source], target, source.parent / target)
    return saved


def map_reading(path: Path, name: str | None = None) -> tuple[object, list[object]]:
    read = read_document(path.read_bytes(), name or path.name, "0" * 64)
    assert read is not None
    document = extract_provision_map(read)
    return document.form, [line.values for line in document.lines]


@pytest.mark.parametrize("target", FORMATS)
def test_a_provision_map_saved_as_ods_or_xls_reads_the_same_amounts_and_totals(
    shipped_config: Config, tmp_path: Path, target: str
) -> None:
    original = generated_map(shipped_config, tmp_path, 11)

    form, lines = map_reading(saved_as(original, target))

    assert (form, lines) == map_reading(original)
    assert getattr(form, "amount_requested", None)


def test_an_xls_named_xlsx_is_read_by_what_it_is(shipped_config: Config, tmp_path: Path) -> None:
    original = generated_map(shipped_config, tmp_path, 12)

    reading = map_reading(saved_as(original, "xls"), name="Provision map.xlsx")

    assert reading == map_reading(original)


@pytest.mark.parametrize("target", FORMATS)
def test_a_referral_whose_provision_map_is_ods_or_xls_is_not_told_the_map_is_missing(
    config: Config, target: str
) -> None:
    referral = sample(4, "clean", config)
    files = attachments(referral)
    map_name, workbook = next((n, d) for n, d in files if n.endswith(".xlsx"))
    xlsx = config.paths.inbox.parent / map_name
    xlsx.write_bytes(workbook)
    converted = saved_as(xlsx, target)
    others = [(n, d) for n, d in files if n != map_name]
    email = config.paths.inbox / "referral.eml"
    email.write_bytes(email_bytes(referral, [*others, (converted.name, converted.read_bytes())]))

    with open_context(config) as ctx:
        run_inbox(ctx)
    record = record_of(email, config.paths.outbox)

    kinds = {d["filename"]: d["kind"] for d in record["documents"]}
    assert kinds[converted.name] == "provision_map"
    assert "missing_document" not in codes(record)


@pytest.mark.parametrize("target", FORMATS)
def test_a_password_protected_ods_or_xls_is_unreadable_saying_so(
    shipped_config: Config, tmp_path: Path, target: str
) -> None:
    original = generated_map(shipped_config, tmp_path, 13)
    locked = save_with_password(original, tmp_path / f"map.{target}", FILTERS[target], "s3cret")

    with pytest.raises(Unreadable, match="password protected"):
        read_document(locked.read_bytes(), locked.name, "0" * 64)


@pytest.mark.parametrize("target", FORMATS)
def test_a_damaged_ods_or_xls_is_unreadable_saying_it_is_damaged(
    shipped_config: Config, tmp_path: Path, target: str
) -> None:
    saved = saved_as(generated_map(shipped_config, tmp_path, 14), target)
    data = saved.read_bytes()

    with pytest.raises(Unreadable, match="damaged"):
        read_document(data[: len(data) // 2], saved.name, "0" * 64)


@pytest.mark.parametrize("name", ["Provision map.ods", "Provision map.xlsx"])
def test_an_ods_carrying_a_basic_macro_is_refused_by_its_content_whatever_its_name(
    shipped_config: Config, tmp_path: Path, name: str
) -> None:
    original = generated_map(shipped_config, tmp_path, 15)
    with_macro = save_with_macro(original, tmp_path / "map.ods", FILTERS["ods"])

    with pytest.raises(ActiveContent, match="macros"):
        guarded_read(with_macro.read_bytes(), name, "0" * 64, Limits.of(shipped_config.intake))
