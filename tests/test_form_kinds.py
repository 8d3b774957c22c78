"""Every form kind: a clean sample goes through the real pipeline and comes out normalised.

Project-Based Work, Exceptional Needs Funding, Capital Fund bids and Funding Reviews (SPEC
4.3 to 4.6) as Word forms in emails, plus the exceptional-needs and review rules, and the
ways schools print tick-box lists and partner settings.
"""

from __future__ import annotations

from typing import Any

import pytest
from records import codes, record_of

from pipeline.config import Config
from pipeline.extract.form import read_located
from pipeline.extract.labels import Located
from pipeline.extract.ticked_rows import ticked_rows
from pipeline.models import Cell, ExtractedDocument, FieldRead, Grid, Provenance, ReadDocument
from pipeline.rules.settings import canonical_setting
from pipeline.runner import open_context, run_inbox
from schemas import FORMS, CapitalBid, DocumentKind, ProjectReferral, parse_value, specs
from schemas.types import IMPROVEMENT_TYPES
from testkit.samples import write_samples

KINDS = {
    "project_referral": "project",
    "ehcp_exceptional": "ehcp_exceptional",
    "capital_bid": "capital",
    "funding_review": "review",
}
CLEAN_EACH = 2
DEFECTS = (
    ("ehcp_exceptional", "invalid_value", "sen_status"),
    ("ehcp_exceptional", "amount_mismatch", "amount_requested"),
    ("ehcp_exceptional", "missing_document", None),
    ("funding_review", "missing_field", "pupil_name"),
    ("funding_review", "date_in_future", "review_date"),
)
REQUESTS = [(kind, "clean") for kind in KINDS for _ in range(CLEAN_EACH)] + [
    (kind, code) for kind, code, _ in DEFECTS
]


@pytest.fixture(scope="module")
def records(
    shipped_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("kinds")
    config = shipped_config.under(root)
    config.paths.inbox.mkdir(parents=True)
    emails = write_samples(config.paths.inbox, config, REQUESTS, seed=3)
    with open_context(config) as ctx:
        run_inbox(ctx)
    return {email.name: record_of(email, config.paths.outbox) for email in emails}


def clean(records: dict[str, dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for name, r in records.items() if name.endswith(f"-{kind}-clean.eml")]


def fields(record: dict[str, Any], kind: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in record["documents"] if d["kind"] == kind)["fields"]
    return found


# A generated review quotes a case of last year, which this register never had: a review never
# opens a case of its own, so the one finding on a clean review is its unknown reference.
UNKNOWN_CASE = {"funding_review": {"invalid_value"}}


@pytest.mark.parametrize("kind", [k for k in KINDS if k not in UNKNOWN_CASE])
def test_clean_request_of_each_kind_is_complete(
    records: dict[str, dict[str, Any]], kind: str
) -> None:
    for record in clean(records, kind):
        assert record["request_type"] == KINDS[kind]
        assert record["status"] == "complete"
        assert codes(record, "error") == set() and codes(record, "warning") == set()
        assert record["case_ref"].startswith("CC-")


def test_a_clean_review_of_a_case_the_register_never_had_waits_for_its_reference(
    records: dict[str, dict[str, Any]],
) -> None:
    for record in clean(records, "funding_review"):
        assert record["request_type"] == "review"
        assert record["status"] == "incomplete" and record["case_ref"] is None
        assert codes(record, "error") == {"invalid_value"} and codes(record, "warning") == set()
        (unknown,) = [f for f in record["findings"] if f["severity"] == "error"]
        assert unknown["field"] == "case_ref" and "CC-2425-" in unknown["message"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_required_field_is_read(records: dict[str, dict[str, Any]], kind: str) -> None:

    required = {s.id for s in specs(FORMS[kind]) if s.required}
    for record in clean(records, kind):
        assert required <= set(fields(record, kind))


def test_capital_bid_is_normalised(records: dict[str, dict[str, Any]]) -> None:
    for record in clean(records, "capital_bid"):
        bid = fields(record, "capital_bid")
        assert bid["improvement_types"] and set(bid["improvement_types"]) <= set(IMPROVEMENT_TYPES)
        assert all(bid[d] is True for d in bid if d.startswith("decl_"))
        assert isinstance(bid["amount_requested"], float) and isinstance(
            bid["quotes_obtained"], int
        )
        assert bid["expected_completion"][4] == "-" and len(bid["expected_completion"]) == 10


def test_project_is_normalised_with_its_cost_lines(records: dict[str, dict[str, Any]]) -> None:
    for record in clean(records, "project_referral"):
        document = next(d for d in record["documents"] if d["kind"] == "project_referral")
        partners = document["fields"]["partner_settings"]
        assert partners and all(isinstance(p, str) for p in partners)
        assert document["lines"] and all(
            set(line) == {"item", "cost"} for line in document["lines"]
        )
        total = sum(line["cost"] for line in document["lines"])
        assert abs(total - document["fields"]["amount_requested"]) <= 1


def test_partner_settings_come_out_canonical(shipped_config: Config) -> None:
    raw = "Our Lady and St Benedict\nGrove Academy and Hamilton\nSt Peters Catholic Academy"
    written = parse_value(ProjectReferral, "partner_settings", raw)
    source = Provenance(document="p.docx", location="table 1")
    form = ExtractedDocument(
        filename="p.docx",
        sha256="0" * 64,
        kind=DocumentKind.project_referral,
        form=ProjectReferral(partner_settings=written),
        fields={"partner_settings": FieldRead(field="partner_settings", raw=raw, source=source)},
    )
    document, findings = canonical_setting(form, shipped_config)
    assert findings == []
    referral = document.form_as(ProjectReferral)
    assert referral is not None
    assert referral.partner_settings == (
        "Our Lady and St Benedict Catholic Primary Academy",
        "Grove Academy",
        "Hamilton Academy",
        "St Peter's Catholic Academy",
    )


def test_ehcp_request_is_normalised(records: dict[str, dict[str, Any]]) -> None:
    for record in clean(records, "ehcp_exceptional"):
        form = fields(record, "ehcp_exceptional")
        pmap = fields(record, "provision_map")
        assert form["sen_status"] == "EHC plan"
        assert abs(form["amount_requested"] - pmap["amount_requested"]) <= 1
        assert form["upn"] == pmap["upn"] and form["date_of_birth"] == pmap["date_of_birth"]


def test_review_is_normalised(records: dict[str, dict[str, Any]]) -> None:
    for record in clean(records, "funding_review"):
        review = fields(record, "funding_review")
        assert review["recommendation"] in (
            "End funding",
            "Continue funding",
            "Change funding",
            "Request EHC needs assessment",
        )
        assert review["date_allocated"] < review["review_date"]
        if "pupil_name" in review:
            assert isinstance(review["attendance_before"], float)
            assert isinstance(review["suspensions_after"], int)


@pytest.mark.parametrize(("kind", "code", "field"), DEFECTS)
def test_seeded_defect_produces_its_rule_code_and_no_other_error(
    records: dict[str, dict[str, Any]], kind: str, code: str, field: str | None
) -> None:
    index = REQUESTS.index((kind, code)) + 1
    record = records[f"{index:03d}-{kind}-{code}.eml"]
    assert record["status"] == "incomplete"
    assert codes(record, "error") == {code} | UNKNOWN_CASE.get(kind, set())
    finding = next(f for f in record["findings"] if f["code"] == code)
    assert finding["field"] == field
    assert len(finding["message"].split()) >= 8


# --- tick-box lists as schools print them ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "☒ Sensory spaces or circuits ☐ Accessible outdoor equipment ☒ Access to nature",
            ("Sensory spaces or circuits", "Access to nature"),
        ),
        (
            "Acoustic improvements ☐\nLighting, thermal comfort and ventilation ☒",
            ("Lighting, thermal comfort and ventilation",),
        ),
        ("[x] Access to nature [ ] Acoustic improvements", ("Access to nature",)),
        (
            "Acoustic improvements; lighting, thermal comfort and ventilation",
            ("Acoustic improvements", "Lighting, thermal comfort and ventilation"),
        ),
    ],
)
def test_ticked_improvement_types(raw: str, expected: tuple[str, ...]) -> None:
    assert parse_value(CapitalBid, "improvement_types", raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "Acoustic improvements, Lighting, thermal comfort and ventilation",
            ("Acoustic improvements", "Lighting, thermal comfort and ventilation"),
        ),
        (
            "acoustic improvements and access to nature",
            ("Acoustic improvements", "Access to nature"),
        ),
        ("Sensory circuits, access to nature", ("Sensory spaces or circuits", "Access to nature")),
    ],
)
def test_improvement_types_listed_with_commas_keep_every_option(
    raw: str, expected: tuple[str, ...]
) -> None:
    assert parse_value(CapitalBid, "improvement_types", raw) == expected


def test_no_ticked_box_cannot_be_read() -> None:
    with pytest.raises(ValueError, match="no box is ticked"):
        parse_value(
            CapitalBid, "improvement_types", "☐ Sensory spaces or circuits ☐ Access to nature"
        )


def test_one_row_per_improvement_type_is_read_as_one_list() -> None:
    rows = [("Type of improvement", "")] + [
        (choice, "☒" if n in (0, 6) else "☐") for n, choice in enumerate(IMPROVEMENT_TYPES)
    ]
    grid = Grid(
        name="table 2",
        rows=tuple(
            tuple(Cell(text=t, location=f"table 2, row {r}, cell {c}") for c, t in enumerate(row))
            for r, row in enumerate(rows)
        ),
    )
    read = ReadDocument(filename="bid.docx", sha256="0" * 64, format="docx", grids=(grid,))
    empty = Located("", None, Provenance(document="bid.docx", location="x"))
    found = ticked_rows(read, CapitalBid, {"improvement_types": empty})
    values, _ = read_located(CapitalBid, found)
    assert values.improvement_types == (
        "Sensory spaces or circuits",
        "Access to nature",
    )
