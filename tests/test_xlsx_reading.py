"""Reading the costed provision map: the table anywhere, formulas computed when not cached."""

from __future__ import annotations

import gc
import io
import sys
from datetime import datetime

import openpyxl
import pytest

from pipeline.extract.provision_map import extract_provision_map
from pipeline.models import ExtractedDocument
from pipeline.read import read_document
from pipeline.read.cached_values import cached_formula_values
from pipeline.read.formula import FORMULA_ERROR
from pipeline.read.xlsx import read_xlsx
from schemas import ProvisionLine, ProvisionMap, specs
from schemas.about import pupil_name_of
from testkit.reliability import files

HEADERS = [s.label for s in specs(ProvisionLine)]


def workbook_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_map(book: openpyxl.Workbook) -> ExtractedDocument:
    return extract_provision_map(read_xlsx(workbook_bytes(book), "map.xlsx", "0" * 64))


def provision_sheet(
    sheet: openpyxl.worksheet.worksheet.Worksheet, top: int, order: list[int]
) -> None:
    sheet.cell(1, 1, "Costed Provision Map")
    sheet.cell(2, 1, "Pupil name")
    sheet.cell(2, 2, "Amy Jones")
    for col, index in enumerate(order, start=1):
        sheet.cell(top, col, HEADERS[index])
    values = ["SEMH", "ELSA", "TA", 1, 2, 30, 38, 25]
    for row in (top + 1, top + 3):  # a blank row between the two lines
        for col, index in enumerate(order, start=1):
            if index < 8:
                sheet.cell(row, col, values[index])
    sheet.cell(top + 4, 1, "Notes: reviewed termly")


def test_formulas_without_cached_values_are_computed() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    provision_sheet(sheet, 4, list(range(9)))
    for row in (5, 7):
        sheet.cell(row, 9, f"=E{row}*F{row}/60*G{row}*H{row}/D{row}")
    sheet["H10"], sheet["I10"] = "Total cost of provision (£)", "=SUM(I5:I8)"
    document = read_map(book)
    assert [line.values.annual_cost for line in document.lines] == [950.0, 950.0]
    assert document.form_as(ProvisionMap) is not None
    assert document.form_as(ProvisionMap).total_cost == 1900


def test_a_formula_chain_thousands_deep_gives_an_error_value_without_overflowing_the_stack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)

    document = read_xlsx(files.formula_bomb(4000), "map.xlsx", "0" * 64)
    gc.collect()

    (grid,) = document.grids
    assert grid.rows[0][0].value == FORMULA_ERROR
    assert unraisable == []


def test_columns_in_any_order_and_table_lower_down_are_found() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    provision_sheet(sheet, 12, [8, 7, 6, 5, 4, 3, 2, 1, 0])
    sheet["A13"], sheet["A15"] = 950, 950
    document = read_map(book)
    assert len(document.lines) == 2
    assert document.lines[0].values.provision == "ELSA"
    assert document.lines[0].fields["annual_cost"].source.location == "sheet 'Sheet' cell A13"


def test_the_sheet_holding_the_table_is_chosen_among_several() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "Guidance for schools"
    provision_sheet(book.create_sheet("Map"), 5, list(range(9)))
    assert len(read_map(book).lines) == 2


def test_numbers_stored_as_text_are_read_as_numbers() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    provision_sheet(sheet, 4, list(range(9)))
    sheet["H5"], sheet["I5"] = "25.00", "£950.00"
    line = read_map(book).lines[0]
    assert line.values.hourly_rate == 25 and line.values.annual_cost == 950


def test_merged_header_cells_and_a_two_row_table_header_are_read() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Costed Provision Map"
    sheet.merge_cells("A1:F1")
    sheet["A2"], sheet["C2"] = "Pupil name", "Amy Jones"
    sheet.merge_cells("A2:B2")
    for col, header in enumerate(HEADERS, start=1):
        sheet.cell(4, col, header)
        sheet.merge_cells(start_row=4, start_column=col, end_row=5, end_column=col)
    for col, value in enumerate(["SEMH", "ELSA", "TA", 1, 2, 30, 38, 25, 950], start=1):
        sheet.cell(6, col, value)
    document = read_map(book)
    assert pupil_name_of(document.form) == "Amy Jones"
    assert [line.values.annual_cost for line in document.lines] == [950.0]


def test_cached_values_the_quick_reader_cannot_parse_fall_back_to_openpyxl() -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "=1+1"
    data = workbook_bytes(book)
    broken = files.rezip(data, {"xl/worksheets/sheet1.xml": b"<worksheet><f"})

    assert cached_formula_values(broken, openpyxl.load_workbook(io.BytesIO(data))) is None


def test_a_supporting_workbook_with_a_date_and_time_is_read_showing_both() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Attendance export"])
    sheet.append(["Signed in", datetime(2024, 1, 2, 13, 5)])

    read = read_document(workbook_bytes(book), "attendance.xlsx", "0" * 64)

    assert read is not None
    texts = [cell.text for grid in read.grids for row in grid.rows for cell in row]
    assert "2024-01-02 13:05:00" in texts


def test_a_provision_map_with_a_date_and_time_cell_is_read_not_reported_damaged() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    provision_sheet(sheet, 4, list(range(9)))
    sheet["D2"], sheet["E2"] = "Map last updated", datetime(2024, 3, 4, 9, 30)

    read = read_document(workbook_bytes(book), "map.xlsx", "0" * 64)

    assert read is not None
    document = extract_provision_map(read)
    assert document.form_as(ProvisionMap) is not None
    assert len(document.lines) == 2
