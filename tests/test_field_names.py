"""Every field id the pipeline names outside the schemas is a field of a form.

Rules, reports and bundles read typed attributes, which mypy checks; the few places that list
field ids (the dates a rule compares, the facts a bundle prints, the fields retention keeps)
are checked here, so a misspelt id fails a test instead of silently matching nothing.
"""

from __future__ import annotations

import pytest

from pipeline.meetings.bundle import case_pages, form_pages
from pipeline.rules import fields
from schemas import (
    FORMS,
    LINES,
    EhcpExceptional,
    IpnReferral,
    RequestType,
    main_form_kind,
    personal,
)
from schemas.capital_bid import CRITERIA, DECLARATIONS
from schemas.fieldref import field_ref
from schemas.funding_review import PUPIL_OUTCOMES, WHOSE
from schemas.project_referral import COST_LINES

ALL_FIELDS = {f for form in (*FORMS.values(), *LINES.values()) for f in form.model_fields}
NAMED = {
    "fields.SIGNATURE_FIELDS": fields.SIGNATURE_FIELDS,
    "bundle PERIODS": tuple(f for pair in case_pages.PERIODS for f in pair),
    "bundle ALWAYS_SHOWN": tuple(case_pages.ALWAYS_SHOWN),
    "bundle TOTALS": form_pages.TOTALS,
    "schema DECLARATIONS": DECLARATIONS,
    "schema CRITERIA": CRITERIA,
    "schema PUPIL_OUTCOMES": PUPIL_OUTCOMES,
    "schema WHOSE": WHOSE,
}


@pytest.mark.parametrize("where", sorted(NAMED))
def test_every_listed_field_id_is_a_field_of_a_form(where: str) -> None:
    assert set(NAMED[where]) - ALL_FIELDS == set()


@pytest.mark.parametrize("request_type", [r for r in case_pages.FACTS if r is not None])
def test_every_fact_a_bundle_prints_is_a_field_of_some_form(request_type: RequestType) -> None:
    assert set(case_pages.FACTS[request_type]) - ALL_FIELDS == set()
    assert main_form_kind(request_type) in FORMS


def test_the_cost_table_marker_is_no_field() -> None:
    assert COST_LINES not in ALL_FIELDS


def test_a_field_reference_reads_its_form_s_label_and_value() -> None:
    sen_status = field_ref(EhcpExceptional, lambda f: f.sen_status)
    form = EhcpExceptional(sen_status="SEN Support")
    assert (sen_status.id, sen_status.label) == ("sen_status", "Current SEN status")
    assert sen_status.of(form) == "SEN Support"
    assert sen_status.of(IpnReferral(sen_status="SEN Support")) is None  # another form


def test_a_field_reference_that_reads_no_field_of_its_form_fails_when_made() -> None:
    with pytest.raises(TypeError, match="must read one field"):
        field_ref(EhcpExceptional, lambda f: f.sen_statu)  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="must read one field"):
        field_ref(EhcpExceptional, lambda f: f.model_fields)  # type: ignore[arg-type,return-value]


def test_a_personal_data_field_set_naming_no_field_is_caught() -> None:
    assert personal._unknown(frozenset({"pupil_surnmae", "upn"})) == {"pupil_surnmae"}


def test_every_field_that_names_the_pupil_or_family_is_withheld_from_the_panel() -> None:
    assert personal.PUPIL_IDENTITY <= personal.IDENTIFYING
    assert all(personal.identifying(f) for f in ("home_address", "parent_phone", "postcode"))
    assert not any(personal.identifying(f) for f in personal.RETAINED)
