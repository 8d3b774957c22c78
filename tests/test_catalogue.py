"""The catalogue in schemas/: what each form is and needs, and typed values that survive storage.

Every form declares its request type, companions and sections once; a document's values are
validated once into its form's model, and the register's JSON gives the same typed model back.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from string import Formatter

import pytest

from pipeline.extract.form import read_located
from pipeline.extract.labels import Located
from pipeline.models import ExtractedDocument, Line, Provenance, Status, Submission
from pipeline.register.records import submission_of
from schemas import (
    FORMS,
    LINES,
    MAIN_FORMS,
    CostLine,
    DocumentKind,
    IpnReferral,
    ProjectReferral,
    ProvisionLine,
    ProvisionMap,
    RequestType,
    RuleCode,
    Severity,
    document_title,
    required_documents,
    specs,
)
from schemas.project_referral import COST_LINES
from schemas.types import NEED_AREAS, YEAR_GROUPS

WRITTEN_IPN = {
    "setting_name": "Abbey Hulton Primary School",
    "pupil_forename": "Jayden",
    "date_of_birth": "3rd Sept 2015",
    "upn": "A861200005001",
    "year_group": "Yr 5",
    "primary_need": "SEMH",
    "looked_after": "☐ Yes ☒ No",
    "attendance_percent": "92.5 %",
    "apdr_cycles": "three",
    "amount_requested": "£4,250.50",
    "parent_views": "Mornings are hard.\n  We would like help with transitions.",
    "consent_date": "about ninety",
}


def _located(values: dict[str, object], document: str) -> dict[str, Located]:
    return {
        field_id: Located(str(raw), raw, Provenance(document=document, location=f"cell {n}"))
        for n, (field_id, raw) in enumerate(values.items(), start=1)
    }


def _stored(*documents: ExtractedDocument) -> Submission:
    """The submission as the register keeps it: JSON, read back."""
    submission = Submission(
        submission_id="m-0001",
        case_ref="CC-2526-0001",
        received_at=datetime(2025, 10, 1, 9, 0, tzinfo=UTC),
        sender="senco@example.sch.uk",
        subject="Referral",
        request_type=RequestType.ipn,
        status=Status.incomplete,
        meeting=None,
        setting=None,
        pupil_initials=None,
        documents=documents,
        findings=(),
    )
    return Submission.model_validate_json(submission.model_dump_json())


def _referral() -> ExtractedDocument:
    form, fields = read_located(IpnReferral, _located(WRITTEN_IPN, "referral.docx"))
    return ExtractedDocument(
        filename="referral.docx",
        sha256="0" * 64,
        kind=DocumentKind.ipn_referral,
        form=form,
        fields=fields,
    )


def test_a_form_is_validated_once_into_typed_values() -> None:
    referral = _referral().form_as(IpnReferral)
    assert referral is not None
    assert referral.date_of_birth == date(2015, 9, 3)
    assert referral.year_group == "Year 5"
    assert referral.primary_need == "Social, emotional and mental health"
    assert referral.looked_after is False
    assert referral.apdr_cycles == 3
    assert referral.amount_requested == Decimal("4250.50")


def test_a_value_that_cannot_be_read_keeps_its_text_and_reason_beside_the_form() -> None:
    document = _referral()
    form = document.form_as(IpnReferral)
    assert form is not None and form.consent_date is None
    found = document.fields["consent_date"]
    assert (found.raw, found.source.location) == ("about ninety", "cell 12")
    assert found.problem is not None and "not a date" in found.problem


def test_a_stored_form_comes_back_with_its_types() -> None:
    referral = _referral()
    (loaded,) = _stored(referral).documents
    assert type(loaded.form) is IpnReferral
    assert loaded.form == referral.form
    assert loaded.fields == referral.fields


def test_stored_lines_come_back_as_their_forms_lines() -> None:
    provision, where = read_located(
        ProvisionLine, _located({"provision": "ELSA", "annual_cost": "£950"}, "map.xlsx")
    )
    cost, cost_where = read_located(CostLine, _located({"cost": "£1.2k"}, "project.docx"))
    pmap = ExtractedDocument(
        filename="map.xlsx",
        sha256="1" * 64,
        kind=DocumentKind.provision_map,
        form=ProvisionMap(),
        lines=(Line(values=provision, fields=where),),
    )
    project = ExtractedDocument(
        filename="project.docx",
        sha256="2" * 64,
        kind=DocumentKind.project_referral,
        form=ProjectReferral(),
        lines=(Line(values=cost, fields=cost_where),),
    )
    loaded_map, loaded_project = _stored(pmap, project).documents
    assert loaded_map.lines[0].values == ProvisionLine(provision="ELSA", annual_cost="950")
    assert type(loaded_project.lines[0].values) is CostLine  # empty, yet not a provision line
    assert loaded_project.lines[0].fields["cost"].problem == cost_where["cost"].problem


@pytest.mark.parametrize("request_type", list(RequestType))
def test_every_request_names_its_main_form_and_needs_it_with_its_companions(
    request_type: RequestType,
) -> None:
    form = MAIN_FORMS[request_type]
    assert form.request_type is request_type
    assert required_documents(request_type) == (form.kind, *form.companions)
    assert all(kind in FORMS for kind in form.companions)


@pytest.mark.parametrize("form", [f for f in FORMS.values() if f.sections], ids=str)
def test_every_form_prints_each_of_its_fields_in_one_section(form: type[IpnReferral]) -> None:
    printed = [f for _, ids in form.sections for f in ids if f != COST_LINES]
    assert sorted(printed) == sorted(spec.id for spec in specs(form))


def test_forms_with_a_table_of_lines_declare_the_lines_form() -> None:
    assert {kind: form.line for kind, form in FORMS.items() if form.line} == LINES


def test_every_document_kind_has_a_title_for_the_admin() -> None:
    titles = {kind: document_title(kind) for kind in DocumentKind}
    assert titles[DocumentKind.capital_bid] == "Inclusive Environments Capital Fund Application"
    assert titles[DocumentKind.blocked].startswith("Blocked file")
    assert all(title and "_" not in title for title in titles.values())


def test_every_rule_code_carries_its_severity() -> None:
    assert {code.severity for code in RuleCode} == set(Severity)
    assert RuleCode.missing_field.severity is Severity.error
    assert RuleCode.damaged_email.severity is Severity.warning
    assert RuleCode.before_round_opens.severity is Severity.info


def test_choice_fields_list_their_options_from_the_schema() -> None:
    by_id = {spec.id: spec for spec in specs(IpnReferral)}
    assert by_id["year_group"].choices == YEAR_GROUPS
    assert by_id["primary_need"].choices == NEED_AREAS
    assert by_id["upn"].choices == ()


@pytest.mark.parametrize("code", list(RuleCode))
def test_every_rule_code_tells_the_school_what_to_do_in_a_sentence(code: RuleCode) -> None:
    assert code.sentences
    for variant, template in code.sentences.items():
        names = {name for _, name, _, _ in Formatter().parse(template) if name}
        filled = code.sentence(variant, **{name: f"<{name}>" for name in names})
        assert filled.endswith(".") and "{" not in filled


def _field(field_id: str, raw: str, value: object, document: str) -> dict[str, object]:
    source = {"document": document, "location": "table 1"}
    return {"field": field_id, "raw": raw, "value": value, "problem": None, "source": source}


def test_a_record_stored_before_forms_were_typed_is_read_with_its_types() -> None:
    referral = {
        "filename": "referral.docx",
        "sha256": "0" * 64,
        "kind": "ipn_referral",
        "fields": {
            "upn": _field("upn", "A861200005001", "A861200005001", "referral.docx"),
            "date_of_birth": _field("date_of_birth", "03/09/2015", "2015-09-03", "referral.docx"),
            "amount_requested": _field("amount_requested", "£4,250.50", 4250.5, "referral.docx"),
            "consent_date": {**_field("consent_date", "soon", None, "referral.docx")},
        },
        "lines": [],
        "findings": [],
    }
    pmap = {
        "filename": "map.xlsx",
        "sha256": "1" * 64,
        "kind": "provision_map",
        "fields": {"total_cost": _field("total_cost", "950", 950.0, "map.xlsx")},
        "lines": [{"annual_cost": _field("annual_cost", "950", 950.0, "map.xlsx")}],
        "findings": [],
    }
    stored = json.loads(_stored().model_dump_json())
    stored["documents"] = [referral, pmap, {**pmap, "kind": "supporting", "lines": []}]
    loaded = submission_of(json.dumps(stored))
    form = loaded.documents[0].form_as(IpnReferral)
    assert form is not None
    assert (form.upn, form.date_of_birth) == ("A861200005001", date(2015, 9, 3))
    assert form.amount_requested == Decimal("4250.50") and form.consent_date is None
    assert loaded.documents[0].fields["consent_date"].raw == "soon"
    assert loaded.documents[1].lines[0].values == ProvisionLine(annual_cost="950")
    assert loaded.documents[2].form is None
