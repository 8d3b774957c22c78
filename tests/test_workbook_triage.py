"""Only a workbook that is certainly no form skips the full reading: a form never does."""

from __future__ import annotations

import io
import random

import openpyxl
import pytest

from pipeline.config import Config
from pipeline.read.workbook_triage import may_be_form_workbook
from pipeline.read.xlsx import read_xlsx
from schemas import ProvisionMap, specs
from testkit.corpus.xlsx_layouts import VARIANTS, provision_map
from testkit.samples.case import make_referral
from testkit.samples.xlsx_map import render_provision_map


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell_texts(data: bytes) -> list[tuple[str, str]]:
    read = read_xlsx(data, "book.xlsx", "0" * 64)
    return [(c.location, c.text) for grid in read.grids for row in grid.rows for c in row]


@pytest.mark.parametrize("layout", sorted(VARIANTS))
def test_every_layout_of_a_provision_map_is_taken_for_a_form(
    shipped_config: Config, layout: str
) -> None:
    rng = random.Random(layout)
    for n in range(3):
        referral = make_referral(rng, shipped_config)
        assert may_be_form_workbook(provision_map(referral, VARIANTS[layout], n))
        assert may_be_form_workbook(render_provision_map(referral))


def test_a_tracker_quoting_half_the_maps_labels_is_read_in_full_with_formulas_computed() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    required = [spec.labels[0] for spec in specs(ProvisionMap) if spec.required]
    quoted = required[: (len(required) + 1) // 2]
    sheet.append(["Pupil tracker", *quoted])
    sheet.append(["Autumn", *["x"] * len(quoted)])
    sheet["A3"], sheet["B3"] = 2, "=A3*10"  # openpyxl saves no value for the formula

    data = saved(book)

    assert may_be_form_workbook(data)
    assert ("sheet 'Sheet' cell B3", "20") in cell_texts(data)


def test_a_supporting_workbook_is_read_from_its_values_as_the_full_reading_lays_them_out() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Timetable"
    sheet["A1"], sheet["C1"] = "Monday", "Speech and language group"
    sheet["B3"] = 45
    book.create_sheet("Notes")["A2"] = "Reviewed half-termly"

    data = saved(book)

    assert not may_be_form_workbook(data)
    assert cell_texts(data) == [
        ("sheet 'Timetable' cell A1", "Monday"),
        ("sheet 'Timetable' cell B1", ""),
        ("sheet 'Timetable' cell C1", "Speech and language group"),
        ("sheet 'Timetable' cell A2", ""),
        ("sheet 'Timetable' cell B2", ""),
        ("sheet 'Timetable' cell C2", ""),
        ("sheet 'Timetable' cell A3", ""),
        ("sheet 'Timetable' cell B3", "45"),
        ("sheet 'Timetable' cell C3", ""),
        ("sheet 'Notes' cell A1", ""),
        ("sheet 'Notes' cell A2", "Reviewed half-termly"),
    ]


def test_a_form_title_held_only_in_a_formula_still_takes_the_workbook_for_a_form() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = '="Costed " & "Provision Map"'

    assert may_be_form_workbook(saved(book))
