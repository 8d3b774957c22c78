"""A provision map whose formulas read another sheet ('=Costs!B4*Costs!C4') is computed when
the file carries no cached values (openpyxl writes none); a formula that cannot be computed
(a sheet the workbook lacks, a circular reference, a chain too deep) is a finding that says
why, never a silent '#VALUE!'."""

from __future__ import annotations

import gc
import io
import sys

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName

from pipeline.extract.provision_map import extract_provision_map
from pipeline.models import ExtractedDocument
from pipeline.read.xlsx import read_xlsx
from pipeline.rules import check_fields
from pipeline.rules.costs import check_provision_map
from schemas import ProvisionLine, ProvisionMap, specs

HEADERS = [s.label for s in specs(ProvisionLine)]
MAP_LABELS = {s.id: s.label for s in specs(ProvisionMap)}
# need, provision, staff, sessions, minutes, weeks, rate, group: the cost is left to formulas
LINES = [("SEMH", "ELSA", "TA", 1, 60, 38, 25, 1), ("Literacy", "Phonics", "TA", 2, 30, 38, 20, 2)]


def provision_map(costs: list[str], total: str) -> openpyxl.Workbook:
    """A map on sheet 'Map' (lines in rows 5-6, costs in I) with the given cost formulas, and
    its total in I8."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Map"
    sheet["A1"] = "Costed Provision Map"
    sheet["A2"], sheet["B2"] = MAP_LABELS["pupil_name"], "Amy Jones"
    for col, header in enumerate(HEADERS, start=1):
        sheet.cell(4, col, header)
    for row, (line, cost) in enumerate(zip(LINES, costs, strict=True), start=5):
        for col, value in enumerate(line, start=1):
            sheet.cell(row, col, value)
        sheet.cell(row, 9, cost)
    sheet["H8"], sheet["I8"] = MAP_LABELS["total_cost"], total
    return book


def costs_sheet(book: openpyxl.Workbook, title: str = "Costs") -> None:
    """Hours and rates on their own sheet (rows 2-3), each line's cost in column D."""
    sheet = book.create_sheet(title)
    sheet.append(["Line", "Hours a year", "Hourly rate (£)", "Cost (£)"])
    sheet.append(["ELSA", 38, 25, "=B2*C2"])
    sheet.append(["Phonics", 38, 10, "=B3*C3"])


def read_map(book: openpyxl.Workbook) -> ExtractedDocument:
    buffer = io.BytesIO()
    book.save(buffer)
    return extract_provision_map(read_xlsx(buffer.getvalue(), "map.xlsx", "0" * 64))


def costs(document: ExtractedDocument) -> list[object]:
    return [line.values.annual_cost for line in document.lines]


def total(document: ExtractedDocument) -> object:
    form = document.form_as(ProvisionMap)
    return form.total_cost if form is not None else None


def messages(document: ExtractedDocument) -> list[str]:
    return [f.message for f in [*check_fields(document), *check_provision_map(document)]]


def test_a_line_cost_multiplying_cells_of_another_sheet_is_computed() -> None:
    book = provision_map(["=Costs!B2*Costs!C2", "=Costs!B3*Costs!C3"], "=SUM(I5:I6)")
    costs_sheet(book)

    document = read_map(book)

    assert costs(document) == [950, 380]
    assert total(document) == 1330


def test_a_total_summing_formulas_on_another_sheet_is_computed() -> None:
    book = provision_map(["=Costs!D2", "=Costs!D3"], "=SUM(Costs!D2:D3)")
    costs_sheet(book)

    assert total(read_map(book)) == 1330


def test_a_total_over_a_whole_column_of_another_sheet_is_computed() -> None:
    book = provision_map(["=Costs!D2", "=Costs!D3"], "=SUM(Costs!D:D)")
    costs_sheet(book)

    assert total(read_map(book)) == 1330


def test_a_quoted_sheet_name_with_spaces_in_any_letter_case_is_found() -> None:
    book = provision_map(["='Staff costs'!D2", "='STAFF COSTS'!B3*'staff costs'!C3"], "=I5+I6")
    costs_sheet(book, "Staff costs")

    document = read_map(book)

    assert costs(document) == [950, 380]
    assert total(document) == 1330


def test_a_named_cell_on_another_sheet_is_computed() -> None:
    book = provision_map(["=Hours*Rate", "=Costs!D3"], "=SUM(I5:I6)")
    costs_sheet(book)
    book.defined_names["Hours"] = DefinedName("Hours", attr_text="Costs!$B$2")
    book.defined_names["Rate"] = DefinedName("Rate", attr_text="Costs!$C$2")

    assert costs(read_map(book)) == [950, 380]


def test_a_formula_reading_a_sheet_the_workbook_lacks_is_a_finding_naming_the_sheet() -> None:
    book = provision_map(["=Costs!B2*Costs!C2", "=380"], "=SUM(I5:I6)")

    said = messages(read_map(book))

    lacking = [m for m in said if "'Costs'" in m and "does not have" in m]
    assert lacking, said
    assert any("cell I5" in m for m in lacking), said
    assert not any("#VALUE!" in m for m in said)


def test_a_total_over_a_cost_that_reads_a_missing_sheet_says_why_it_has_no_value() -> None:
    book = provision_map(["=Costs!B2*Costs!C2", "=380"], "=SUM(I5:I6)")

    said = messages(read_map(book))

    (on_total,) = [m for m in said if MAP_LABELS["total_cost"] in m]
    assert "'Costs'" in on_total and "does not have" in on_total


def test_a_circular_reference_across_sheets_is_a_finding_saying_so() -> None:
    book = provision_map(["=Costs!D2", "=380"], "=SUM(I5:I6)")
    costs_sheet(book)
    book["Costs"]["D2"] = "=Map!I5*1"

    said = messages(read_map(book))

    assert any("circular" in m and "cell I5" in m for m in said), said
    assert not any("#VALUE!" in m for m in said)


def test_a_chain_thousands_deep_back_and_forth_between_sheets_is_refused_without_overflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    book = provision_map(["=Other!A1", "=380"], "=SUM(I5:I6)")
    other = book.create_sheet("Other")
    for row in range(1, 3000):
        other.cell(row, 1, f"=Map!K{row}+1")
        book["Map"].cell(row, 11, f"=Other!A{row + 1}")
    other.cell(3000, 1, 1)

    said = messages(read_map(book))
    gc.collect()

    assert any("Provision line 1 (row 5)" in m and "too many formulas" in m for m in said), said
    assert unraisable == []
