"""Dates written year first are year/month/day, and labels abbreviated with dots (D.O.B.,
U.P.N.) are the labels the SPEC lists without them."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from records import located_values

from pipeline.extract.form import extract_form
from pipeline.read.docx import read_docx
from schemas import IpnReferral, ProvisionMap, parse_value


def word_form(rows: list[tuple[str, str]]) -> bytes:
    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def extracted(rows: list[tuple[str, str]]) -> dict[str, object]:
    read = read_docx(word_form(rows), "form.docx", "0" * 64)
    return located_values(extract_form(read, IpnReferral))


@pytest.mark.parametrize(
    "written", ["2016/03/04", "2016.03.04", "2016-3-4", "2016/3/4", "2016 03 04", "2016-03-04"]
)
def test_a_date_written_year_first_is_year_month_day(written: str) -> None:
    assert parse_value(IpnReferral, "date_of_birth", written) == date(2016, 3, 4)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)), st.sampled_from("/.-"))
def test_any_date_written_yyyy_mm_dd_reads_back(day: date, separator: str) -> None:
    written = day.strftime(f"%Y{separator}%m{separator}%d")
    assert parse_value(ProvisionMap, "date_of_birth", written) == day


def test_a_year_first_date_that_is_no_real_date_is_invalid() -> None:
    with pytest.raises(ValueError, match="not a real date"):
        parse_value(IpnReferral, "date_of_birth", "2016/02/30")


@pytest.mark.parametrize("label", ["D.O.B.", "D.O.B", "D. O. B.", "d.o.b.:", "DOB"])
def test_date_of_birth_abbreviated_with_dots_is_read_from_a_word_form(label: str) -> None:
    assert extracted([(label, "04/03/2016")])["date_of_birth"] == date(2016, 3, 4)


def test_upn_abbreviated_with_dots_is_read_from_a_word_form() -> None:
    assert extracted([("U.P.N.", "A861202500701")])["upn"] == "A861202500701"


def test_year_first_date_of_birth_in_a_word_form_is_year_month_day() -> None:
    assert extracted([("Date of birth", "2016/03/04")])["date_of_birth"] == date(2016, 3, 4)
