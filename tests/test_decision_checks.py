"""The decision log is checked against the cases and the money; every bad row is reported."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT
from meeting_fixtures import MEETING
from test_decisions_roundtrip import FIRST, decided, fill

from pipeline.config import Config
from pipeline.meetings.decision_checks import CaseFacts, Funds, check_decisions
from pipeline.meetings.decision_log import Logged, Problem
from pipeline.models import RequestType
from pipeline.outcomes import Decision, DecisionKind
from pipeline.runner import open_context

__all__ = ["decided"]  # the fixture, used here by name

IPN, CAPITAL = RequestType.ipn, RequestType.capital
FUNDS = Funds(
    revenue_budget=Decimal("210000.00"),
    revenue_committed=Decimal("200000.00"),
    capital_fund=Decimal("175000.00"),
    capital_cap_per_setting=Decimal("15000.00"),
    capital_committed_by_setting={"Birches Head Academy": Decimal("6000.00")},
    round_closes=date(2025, 12, 31),
)


def case(
    kind: RequestType = IPN,
    requested: str = "2160.96",
    *,
    setting: str = "Birches Head Academy",
    errors: int = 0,
    received: date = date(2025, 11, 3),
    scored: bool = True,
) -> CaseFacts:
    return CaseFacts(kind, setting, Decimal(requested), errors, received, scored=scored)


def row(
    number: int,
    kind: DecisionKind,
    amount: str | None = None,
    review: date | None = None,
) -> Logged:
    return Logged(
        number,
        Decision(
            case_ref=f"CC-2526-{number:04d}",
            meeting=MEETING,
            decision=kind,
            amount_agreed=Decimal(amount) if amount is not None else None,
            review_date=review,
        ),
    )


def problems(rows: list[Logged], cases: list[CaseFacts], funds: Funds = FUNDS) -> list[Problem]:
    facts = {r.decision.case_ref: c for r, c in zip(rows, cases, strict=True)}
    return check_decisions(rows, facts, funds)


def where(found: list[Problem]) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in found]


def test_agreeing_more_than_was_requested_needs_agreed_with_changes() -> None:
    found = problems([row(2, DecisionKind.agreed, "9999.00")], [case()])
    assert where(found) == [(2, "Amount agreed")]
    assert "£9,999.00 is more than the £2,160.96 requested" in found[0].message


def test_more_than_requested_is_fine_as_agreed_with_changes_or_within_a_pound() -> None:
    rows = [
        row(2, DecisionKind.agreed_with_changes, "3000.00"),
        row(3, DecisionKind.agreed, "2161.50"),
    ]
    assert problems(rows, [case(), case()]) == []


def test_revenue_beyond_the_budget_remaining_names_the_row_that_crosses_it() -> None:
    rows = [
        row(2, DecisionKind.agreed, "2000.00", None),
        row(3, DecisionKind.agreed_with_changes, "7000.00"),
        row(4, DecisionKind.agreed_with_changes, "1500.00"),
    ]
    found = problems(rows, [case("2000.00"), case("7000.00"), case("1500.00")])
    assert where(found) == [(4, "Amount agreed")]
    assert "£500.00 beyond the budget of £210,000.00" in found[0].message


def test_capital_beyond_the_per_setting_cap_is_refused() -> None:
    found = problems([row(2, DecisionKind.agreed, "10000.00")], [case(CAPITAL, "10000.00")])
    assert where(found) == [(2, "Amount agreed")]
    assert "Birches Head Academy £16,000.00 of capital, over the cap of £15,000.00" in (
        found[0].message
    )


def test_capital_beyond_the_fund_is_refused() -> None:
    funds = Funds(
        revenue_budget=FUNDS.revenue_budget,
        revenue_committed=Decimal(0),
        capital_fund=Decimal("20000.00"),
        capital_cap_per_setting=Decimal("15000.00"),
    )
    rows = [row(2, DecisionKind.agreed, "12000.00"), row(3, DecisionKind.agreed, "9000.00")]
    cases = [case(CAPITAL, "12000.00", setting="A"), case(CAPITAL, "9000.00", setting="B")]
    found = problems(rows, cases, funds)
    assert where(found) == [(3, "Amount agreed")]
    assert "£1,000.00 beyond the fund of £20,000.00" in found[0].message


def test_agreeing_a_case_with_open_errors_is_refused() -> None:
    found = problems([row(2, DecisionKind.agreed, "100.00")], [case(errors=2)])
    assert where(found) == [(2, "Decision")]
    assert "2 open error(s)" in found[0].message


def test_declining_a_case_with_open_errors_is_allowed() -> None:
    assert problems([row(2, DecisionKind.declined)], [case(errors=2)]) == []


def test_agreeing_a_capital_bid_that_arrived_after_the_round_closed_is_refused() -> None:
    late = case(CAPITAL, "5000.00", setting="C", received=date(2026, 1, 6))
    found = problems([row(2, DecisionKind.agreed, "5000.00")], [late])
    assert where(found) == [(2, "Decision")]
    assert "after the round closed on 31 December 2025" in found[0].message


def test_agreeing_a_bid_sent_before_the_round_opened_is_allowed() -> None:
    early = case(CAPITAL, "5000.00", setting="C", received=date(2025, 8, 20))
    assert problems([row(2, DecisionKind.agreed, "5000.00")], [early]) == []


def test_agreeing_a_capital_bid_never_scored_is_refused_beside_every_other_problem() -> None:
    rows = [
        row(2, DecisionKind.agreed, "5000.00"),
        row(3, DecisionKind.agreed, "9999.00"),
        row(4, DecisionKind.declined, review=date(2026, 7, 9)),
    ]
    unscored = case(CAPITAL, "5000.00", setting="C", scored=False)
    found = problems(rows, [unscored, case(), case()])
    assert where(found) == [(2, "Decision"), (3, "Amount agreed"), (4, "Review date")]
    assert found[0].message == (
        "the capital bid has not been scored; import the round's scoring sheet "
        "(pipeline meeting scores) before recommending it"
    )


def test_declining_a_capital_bid_never_scored_is_allowed() -> None:
    unscored = case(CAPITAL, "5000.00", setting="C", scored=False)
    assert problems([row(2, DecisionKind.declined)], [unscored]) == []


def test_a_review_date_on_a_case_not_agreed_is_refused() -> None:
    review = date(2026, 7, 9)
    rows = [
        row(2, DecisionKind.deferred, review=review),
        row(3, DecisionKind.declined, None, review),
    ]
    assert where(problems(rows, [case(), case()])) == [(2, "Review date"), (3, "Review date")]


def test_pipeline_meeting_decisions_prints_every_bad_row_and_imports_nothing(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    fill(
        log,
        [
            ("Agreed", 250000, None),  # more than requested, and beyond the budget
            ("Deferred", None, date(2026, 2, 5)),  # review date on a case not agreed
            ("Approved", None, None),  # no such decision
        ],
    )
    (config.paths.inbox.parent / "config.toml").write_text(
        (ROOT / "config.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "meeting",
            "decisions",
            FIRST.isoformat(),
            str(log),
            "--config",
            str(config.paths.inbox.parent / "config.toml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "error: decision log has 4 problem(s); nothing was imported:"
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "row 2, column 'Amount agreed'",
        "row 2, column 'Amount agreed'",
        "row 3, column 'Review date'",
        "row 4, column 'Decision'",
    ]
    with open_context(config) as ctx:
        assert ctx.register.decisions() == []


@pytest.mark.parametrize("kind", [DecisionKind.agreed, DecisionKind.agreed_with_changes])
def test_money_within_every_limit_passes(kind: DecisionKind) -> None:
    assert problems([row(2, kind, "2160.96")], [case()]) == []
