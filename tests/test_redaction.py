"""Redaction by identity, not by word: the cases issue 12 quotes, one behaviour each."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

import pytest
from meeting_fixtures import _read

from pipeline.meetings.models import CaseFile, Pupil
from pipeline.meetings.redaction import Identity, identity_of
from pipeline.models import ExtractedDocument, RequestType, Status


def case_of(forename: str, surname: str, born: date, **fields: Any) -> Identity:
    values = {"pupil_forename": forename, "pupil_surname": surname, "date_of_birth": born,
              "upn": "A861200014001", **fields}  # fmt: skip
    form = ExtractedDocument(
        filename="form.docx", sha256="0" * 64, **_read("ipn_referral", values, "form.docx")
    )
    case = CaseFile(
        case_ref="CC-2526-0001",
        request_type=RequestType.ipn,
        status=Status.complete,
        setting="Abbey Hulton Primary School",
        received_at=datetime(2025, 11, 3, 9, 0),
        meeting=date(2025, 12, 11),
        amount_requested=1.0,
        pupil=Pupil(forename=forename, surname=surname, date_of_birth=born, upn="A861200014001"),
        documents=(form,),
        findings=(),
    )
    return identity_of(case)


ZOE = case_of(
    "Zoë",
    "O'Brien-Smythe",
    date(2015, 3, 3),
    parent_name="Mr and Mrs O'Brien-Smythe",
    home_address="14 Meir Lane\nBentilee\nStoke-on-Trent\nST2 0AB",
    parent_phone="07700 900123",
)


@pytest.mark.parametrize(
    "written", ["3rd of March 2015", "March 3, 2015", "3-Mar-2015", "3 March 15", "03.03.15"]
)
def test_a_date_of_birth_in_any_english_writing_is_replaced(written: str) -> None:
    assert ZOE.redact(f"Born {written}, she") == "Born [date of birth], she"


@pytest.mark.parametrize(
    "written",
    ["Zoe", unicodedata.normalize("NFD", "Zoë"), "ZOË", "OBRIEN", "O’Brien", "O Brien - Smythe"],
)
def test_a_name_in_any_spelling_becomes_the_initials(written: str) -> None:
    assert ZOE.redact(f"Staff said {written} was calm.") == "Staff said ZOS was calm."


def test_a_home_address_postcode_and_mobile_are_replaced() -> None:
    text = "Lives at 14 Meir Ln, ST2 0AB; mum's mobile +44 7700 900 123."
    assert ZOE.redact(text) == "Lives at [address], [postcode]; mum's mobile [phone number]."


@pytest.mark.parametrize(
    "written", ["12 Leek Road", "12a Victoria Street", "7 St. John's Rd.", "45 Church Lane"]
)
def test_a_street_address_the_case_does_not_list_is_replaced(written: str) -> None:
    text = f"Dad moved to {written}, Hanley, in May."
    assert ZOE.redact(text) == "Dad moved to [address], Hanley, in May."


def test_a_street_named_without_a_house_number_is_kept() -> None:
    text = "The bus stops on Hill Road; in Year 6 Close supervision is needed."
    assert ZOE.redact(text) == text


def test_a_date_of_birth_glued_to_its_label_by_a_narrow_column_is_replaced() -> None:
    assert ZOE.redact("Date of bir03/03/2015Year group") == "Date of bir[date of birth]Year group"


def test_a_name_run_on_from_its_label_by_a_narrow_column_becomes_the_initials() -> None:
    assert ZOE.redact("Pupil nameZoe O'Brien-Smythe") == "Pupil nameZOS"


def test_a_name_inside_an_ordinary_word_is_kept() -> None:
    ola = case_of("Ola", "Okafor", date(2016, 3, 4))
    assert ola.redact("Olaf fetched the colander.") == "Olaf fetched the colander."


def test_mr_and_mrs_never_turns_and_or_mrs_into_initials() -> None:
    text = "Our Lady and St Benedict; Social, emotional and mental health; Mrs O'Brien-Smythe."
    expected = "Our Lady and St Benedict; Social, emotional and mental health; Mrs ZOS."
    assert ZOE.redact(text) == expected  # the surname the pupil shares takes her initials


def test_two_parents_sharing_a_surname_are_two_whole_names() -> None:
    hill = case_of("Ava", "Young", date(2014, 5, 1), parent_name="Sarah and Richard Hill")
    assert (
        hill.redact("Sarah and Richard spoke; Mrs Hill agreed.")
        == "SH and RH spoke; Mrs SH agreed."
    )


def test_a_senco_sharing_the_pupils_surname_gives_nothing_away() -> None:
    oneill = case_of("José", "O'Neill", date(2014, 5, 1))
    text = oneill.redact("SENCo: Kelly O'Neill, kelly.oneill@school.example, senco@school.example")
    assert text == "SENCo: Kelly JO, [email address], senco@school.example"


def test_a_name_that_is_also_a_word_stays_where_it_is_the_word() -> None:
    may = case_of("Rose", "May", date(2014, 5, 1))
    text = "In May 2025 she may need help by 3 May; the rose garden. May and Rose MAY agreed."
    assert may.redact(text) == (
        "In May 2025 she may need help by 3 May; the rose garden. RM and RM agreed."
    )


def test_identifiers_the_case_does_not_list_are_found_by_their_shape() -> None:
    text = "Sibling 07700 900987, NHS 943 476 5919, old postcode ST6 1AA, j.bloggs@hotmail.example"
    assert ZOE.redact(text) == (
        "Sibling [phone number], NHS [NHS number], old postcode [postcode], [email address]"
    )
