"""Every capital and project rule code is produced by an email with exactly that defect.

One run of the pipeline over generated requests (clean ones, then one per defect); each test
reads the JSON the pipeline wrote for one email, as the admin's tools would. Rule-level tests
below cover what a whole email cannot show cheaply: resent bids, early bids, odd tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from records import codes, record_of

from pipeline.config import Config
from pipeline.extract.cost_lines import extract_cost_lines
from pipeline.extract.form import read_located
from pipeline.extract.labels import Located
from pipeline.models import (
    Cell,
    ExtractedDocument,
    Grid,
    Provenance,
    ReadDocument,
    Status,
    Submission,
)
from pipeline.rules import RuleContext
from pipeline.rules.base import EarlierBid
from pipeline.rules.capital import check_capital, earlier_bids
from pipeline.rules.project import check_project
from pipeline.runner import open_context, run_inbox
from schemas import FORMS, DocumentKind
from testkit.samples import FORM_DEFECTS, write_samples

CAPITAL_CODES = (
    "over_setting_cap",
    "cost_below_request",
    "ineligible_capital",
    "completion_after_deadline",
    "after_round_deadline",
    "not_mainstream",
)
PROJECT_CODES = ("unknown_setting", "total_mismatch", "date_order")
REQUESTS = (
    [("capital_bid", "clean")] * 3
    + [("project_referral", "clean")] * 3
    + [("capital_bid", code) for code in CAPITAL_CODES]
    + [("project_referral", code) for code in PROJECT_CODES]
)
LONDON = ZoneInfo("Europe/London")


def name_of(kind: str, code: str) -> str:
    return f"{REQUESTS.index((kind, code)) + 1:03d}-{kind}-{code}.eml"


@pytest.fixture(scope="module")
def records(
    shipped_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("capital")
    config = shipped_config.under(root)
    config.paths.inbox.mkdir(parents=True)
    emails = write_samples(config.paths.inbox, config, REQUESTS, seed=11)
    with open_context(config) as ctx:
        run_inbox(ctx)
    return {email.name: record_of(email, config.paths.outbox) for email in emails}


def test_every_capital_and_project_code_has_a_sample_defect() -> None:
    assert set(CAPITAL_CODES) == set(FORM_DEFECTS["capital_bid"])
    assert set(PROJECT_CODES) == set(FORM_DEFECTS["project_referral"])


@pytest.mark.parametrize("index", range(1, 7))
def test_clean_bids_and_projects_are_complete(
    records: dict[str, dict[str, Any]], index: int
) -> None:
    kind, _ = REQUESTS[index - 1]
    record = records[f"{index:03d}-{kind}-clean.eml"]
    assert record["status"] == "complete"
    assert codes(record, "error") == set() and codes(record, "warning") == set()


@pytest.mark.parametrize(
    ("kind", "code"),
    [("capital_bid", c) for c in CAPITAL_CODES] + [("project_referral", c) for c in PROJECT_CODES],
)
def test_seeded_defect_produces_its_rule_code_and_no_other_error(
    records: dict[str, dict[str, Any]], kind: str, code: str
) -> None:
    record = records[name_of(kind, code)]
    assert code in codes(record)
    assert codes(record, "error") <= {code}
    finding = next(f for f in record["findings"] if f["code"] == code)
    assert len(finding["message"].split()) >= 8, "a sentence a school can act on"
    assert finding["document"], "the finding names the document it concerns"


def test_over_setting_cap_counts_the_settings_earlier_bid(
    records: dict[str, dict[str, Any]],
) -> None:
    name = name_of("capital_bid", "over_setting_cap")
    first, second = records[name.replace(".eml", "-first.eml")], records[name]
    bid = next(d for d in second["documents"] if d["kind"] == "capital_bid")["fields"]
    earlier = next(d for d in first["documents"] if d["kind"] == "capital_bid")["fields"]
    assert bid["setting_name"] == earlier["setting_name"]
    assert max(bid["amount_requested"], earlier["amount_requested"]) < 15000
    assert bid["amount_requested"] + earlier["amount_requested"] > 15000
    assert first["status"] == "complete" and "over_setting_cap" not in codes(first)
    message = next(f for f in second["findings"] if f["code"] == "over_setting_cap")["message"]
    assert "£15,000.00" in message and bid["setting_name"] in message


def test_ineligible_capital_names_the_declaration(records: dict[str, dict[str, Any]]) -> None:
    record = records[name_of("capital_bid", "ineligible_capital")]
    finding = next(f for f in record["findings"] if f["code"] == "ineligible_capital")
    assert finding["field"].startswith("decl_") and "'The " in finding["message"]


def test_unknown_partner_is_named(records: dict[str, dict[str, Any]]) -> None:
    record = records[name_of("project_referral", "unknown_setting")]
    finding = next(f for f in record["findings"] if f["code"] == "unknown_setting")
    assert finding["field"] == "partner_settings"
    assert "Riverside Primary School" in finding["message"]


# --- rules on hand-made documents -----------------------------------------------------------


def document(kind: str, filename: str = "bid.docx", **values: Any) -> ExtractedDocument:
    """A document of the kind with these values, read as the pipeline reads located values."""
    source = Provenance(document=filename, location="table 1")
    located = {k: Located(str(v), v, source) for k, v in values.items()}
    form, fields = read_located(FORMS[DocumentKind(kind)], located)
    return ExtractedDocument(
        filename=filename,
        sha256=hashlib.sha256(filename.encode()).hexdigest(),
        kind=DocumentKind(kind),
        form=form,
        fields=fields,
    )


def bid(title: str, amount: float, filename: str = "bid.docx") -> ExtractedDocument:
    return document(
        "capital_bid",
        filename,
        setting_name="Grove Academy",
        project_title=title,
        amount_requested=amount,
        total_project_cost=amount,
    )


def rule_codes(found: Iterator[Any] | list[Any]) -> list[str]:
    return [f.code for f in found]


def test_a_bid_sent_again_replaces_the_earlier_one(shipped_config: Config) -> None:
    before = (
        EarlierBid(setting="Grove Academy", project_title="Sensory room", amount=Decimal(9000)),
    )
    ctx = RuleContext(shipped_config, date(2025, 11, 3), capital_bids_before=before)
    assert rule_codes(check_capital([bid("Sensory Room", 9500.0)], ctx)) == []
    assert rule_codes(check_capital([bid("Outdoor classroom", 9500.0)], ctx)) == [
        "over_setting_cap"
    ]


def test_two_bids_of_one_setting_in_one_email_count_together(shipped_config: Config) -> None:
    ctx = RuleContext(shipped_config, date(2025, 11, 3))
    bids = [bid("Sensory room", 8000.0, "a.docx"), bid("Quiet classrooms", 8000.0, "b.docx")]
    assert rule_codes(check_capital(bids, ctx)) == ["over_setting_cap"]


def test_a_bid_before_the_round_opens_is_kept_with_a_note(shipped_config: Config) -> None:
    ctx = RuleContext(shipped_config, date(2025, 8, 20))
    found = check_capital([bid("Sensory room", 5000.0)], ctx)
    assert [(f.code, f.severity.value) for f in found] == [("before_round_opens", "info")]


def test_earlier_bids_come_from_the_register_once_per_file(shipped_config: Config) -> None:
    one = bid("Sensory room", 6000.0)
    sent = [
        Submission(
            submission_id=f"S-{n}",
            case_ref="CC-2526-0001",
            received_at=datetime(2025, 10, day, 10, 0, tzinfo=LONDON),
            sender="a@grove.sch.example",
            subject="bid",
            request_type=None,
            status=status,
            meeting=None,
            setting="Grove Academy",
            pupil_initials=None,
            documents=(one,),
            findings=(),
        )
        for n, (day, status) in enumerate(
            [(1, Status.complete), (2, Status.complete), (3, Status.quarantined)]
        )
    ]
    assert earlier_bids(sent, shipped_config.capital) == (
        EarlierBid("Grove Academy", "Sensory room", Decimal("6000.00"), one.sha256),
    )


def cost_table(*rows: tuple[str, ...]) -> ReadDocument:
    cells = tuple(
        tuple(
            Cell(text=text, location=f"table 1, row {r}, cell {c}", row=r, col=c)
            for c, text in enumerate(row, start=1)
        )
        for r, row in enumerate(rows, start=1)
    )
    return ReadDocument(
        filename="p.docx", sha256="0" * 64, format="docx", grids=(Grid(name="t", rows=cells),)
    )


def test_cost_lines_are_read_by_their_headers_in_any_order() -> None:
    read = cost_table(
        ("Project title", "Shared circuits"),
        ("Cost (£)", "Item", "Supplier"),
        ("£1,200.00", "Specialist teacher", "SENDIASS"),
        ("", "", ""),
        ("450", "Training", ""),
        ("Note: quotes attached", "", ""),
        ("Total amount requested (£)", "£1,650.00", ""),
        ("£99", "Not a line", ""),
    )
    lines = extract_cost_lines(read)
    assert [(line.values.item, line.values.cost) for line in lines] == [
        ("Specialist teacher", Decimal("1200.00")),
        ("Training", Decimal("450.00")),
    ]


def test_project_costs_must_add_up_and_be_readable() -> None:
    lines = extract_cost_lines(
        cost_table(("Item", "Cost (£)"), ("Teacher", "£1.2k"), ("Resources", "300"))
    )
    form = document("project_referral", "p.docx", amount_requested=1500.0).model_copy(
        update={"lines": lines}
    )
    assert rule_codes(check_project(form)) == ["invalid_value"]
    missing = document("project_referral", "p.docx", amount_requested=1500.0)
    assert rule_codes(check_project(missing)) == ["missing_field"]
