"""How a school's writing becomes a typed value (SPEC section 4 types)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import IpnReferral, parse_value


def read(field: str, raw: object) -> object:
    return parse_value(IpnReferral, field, raw)


@pytest.mark.parametrize(
    "written",
    ["03/09/2015", "3.9.15", "3 Sept 2015", "2015-09-03", "3rd September 2015", "03-09-2015"],
)
def test_uk_dates_are_read_day_first(written: str) -> None:
    assert read("date_of_birth", written) == date(2015, 9, 3)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
def test_any_date_written_dd_mm_yyyy_reads_back(day: date) -> None:
    assert read("date_of_birth", day.strftime("%d/%m/%Y")) == day


def test_impossible_date_is_invalid_with_a_reason() -> None:
    with pytest.raises(ValueError, match="not a real date"):
        read("date_of_birth", "31/02/2015")


@pytest.mark.parametrize(
    ("written", "pounds"),
    [("£1,234.50", 1234.5), ("1234.5", 1234.5), ("£ 600", 600.0), (4200, 4200.0)],
)
def test_money_is_read_in_pounds(written: object, pounds: float) -> None:
    assert read("amount_requested", written) == pounds


@given(st.integers(min_value=0, max_value=10_000_000))
def test_money_written_with_pound_sign_and_commas_reads_back(pence: int) -> None:
    assert read("amount_requested", f"£{pence / 100:,.2f}") == Decimal(pence) / 100


@given(st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=30))
def test_amounts_read_add_up_to_the_penny(pence: list[int]) -> None:
    lines = [read("amount_requested", f"£{p / 100:,.2f}") for p in pence]
    total = read("amount_requested", f"£{sum(pence) / 100:,.2f}")
    assert sum(lines, Decimal(0)) == total


@pytest.mark.parametrize(
    ("written", "pounds"), [("£1.005", "1.01"), ("£2.675", "2.68"), ("£0.004", "0.00")]
)
def test_a_third_decimal_place_rounds_half_up_to_the_penny(written: str, pounds: str) -> None:
    assert read("amount_requested", written) == Decimal(pounds)


def test_thousands_shorthand_is_not_money() -> None:
    with pytest.raises(ValueError, match="not an amount in pounds"):
        read("amount_requested", "£1.2k")


@pytest.mark.parametrize(
    ("written", "answer"),
    [
        ("Yes", True),
        ("N", False),
        ("☒ Yes ☐ No", True),
        ("☐ Yes ☒ No", False),
        ("Yes ☐ No ☒", False),
        ("☒", True),
        ("☐", False),
        ("X", True),
        ("Yes [x] No [ ]", True),
    ],
)
def test_yes_no_reads_words_and_ticked_boxes(written: str, answer: bool) -> None:
    assert read("looked_after", written) is answer


@pytest.mark.parametrize(("written", "percent"), [("92%", 92.0), ("92", 92.0), ("87.5 %", 87.5)])
def test_percent_accepts_with_or_without_sign(written: str, percent: float) -> None:
    assert read("attendance_percent", written) == percent


def test_percent_over_100_is_invalid() -> None:
    with pytest.raises(ValueError, match="not between 0 and 100"):
        read("attendance_percent", "120%")


@pytest.mark.parametrize(
    ("field", "written", "canonical"),
    [
        ("year_group", "Yr 5", "Year 5"),
        ("year_group", "reception", "Reception"),
        ("year_group", "Y11", "Year 11"),
        ("primary_need", "SEMH", "Social, emotional and mental health"),
        ("primary_need", "cognition & learning", "Cognition and learning"),
        ("sen_status", "EHCP", "EHC plan"),
        ("sen_status", "sen support", "SEN Support"),
    ],
)
def test_choices_come_out_in_their_canonical_spelling(
    field: str, written: str, canonical: str
) -> None:
    assert read(field, written) == canonical


def test_year_group_out_of_range_is_not_a_choice() -> None:
    with pytest.raises(ValueError, match="is not one of"):
        read("year_group", "Year 19")


def test_email_with_spaces_around_the_at_sign_is_read_as_one_address() -> None:
    assert read("senco_email", "g.bennett @manorabbey.sch.example") == (
        "g.bennett@manorabbey.sch.example"
    )


def test_email_is_lowercased_and_checked() -> None:
    assert read("senco_email", "mailto:Ann.Lee@School.sch.uk") == "ann.lee@school.sch.uk"
    with pytest.raises(ValueError, match="not an email address"):
        read("senco_email", "ann at school")
