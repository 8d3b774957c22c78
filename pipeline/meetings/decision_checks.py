"""The decision log's rows against the cases and the money: what the panel may not agree.

Pure functions over the logged decisions, the facts of each case and the money already
committed at other meetings; each broken rule is a :class:`Problem` naming row and column.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pipeline.meetings.decision_log import AMOUNT, DECISION, REVIEW, Logged, Problem
from pipeline.models import RequestType
from pipeline.outcomes import DecisionKind
from pipeline.reports.wording import format_date
from schemas.money import pounds, same_amount

NOTHING = Decimal(0)


@dataclass(frozen=True)
class CaseFacts:
    """What the checks need to know about one case on the agenda."""

    request_type: RequestType | None
    setting: str
    amount_requested: Decimal | None
    open_errors: int
    received: date
    scored: bool  # a capital bid: the round's scoring sheet gave it a total


@dataclass(frozen=True)
class Funds:
    """The money, with what meetings other than this one have committed."""

    revenue_budget: Decimal
    revenue_committed: Decimal
    capital_fund: Decimal
    capital_cap_per_setting: Decimal
    capital_committed_by_setting: Mapping[str, Decimal] = field(default_factory=dict)
    round_closes: date | None = None


def check_decisions(
    logged: Sequence[Logged], cases: Mapping[str, CaseFacts], funds: Funds
) -> list[Problem]:
    """Every rule each row breaks, and the rows that take the money past what is left."""
    problems: list[Problem] = []
    for entry in logged:
        problems.extend(_row_problems(entry, cases[entry.decision.case_ref], funds))
    problems.extend(_revenue_problems(logged, cases, funds))
    problems.extend(_capital_problems(logged, cases, funds))
    return problems


def _row_problems(entry: Logged, case: CaseFacts, funds: Funds) -> Iterator[Problem]:
    decision, row = entry.decision, entry.row
    kind = decision.decision
    agreed = decision.amount_agreed
    requested = case.amount_requested
    if (
        kind is DecisionKind.agreed
        and agreed is not None
        and requested is not None
        and agreed > requested
        and not same_amount(agreed, requested)
    ):
        yield Problem(
            row,
            AMOUNT,
            f"{pounds(agreed)} is more than the {pounds(requested)} requested; "
            f"choose '{DecisionKind.agreed_with_changes.value}' to agree a different amount",
        )
    if kind.commits_money and case.open_errors:
        yield Problem(
            row,
            DECISION,
            f"the case has {case.open_errors} open error(s); it cannot be agreed until they "
            "are corrected or accepted",
        )
    if kind.commits_money and case.request_type is RequestType.capital:
        yield from _round_problem(row, case, funds)
        if not case.scored:
            yield Problem(
                row,
                DECISION,
                "the capital bid has not been scored; import the round's scoring sheet "
                "(pipeline meeting scores) before recommending it",
            )
    if decision.review_date is not None:
        yield from _review_problem(entry, kind)


def _round_problem(row: int, case: CaseFacts, funds: Funds) -> Iterator[Problem]:
    """A bid sent before the round opened is held for it and assessed with its bids (the
    school is told so); only a bid after the round closed is outside it."""
    closes = funds.round_closes
    if closes is not None and case.received > closes:
        yield Problem(
            row,
            DECISION,
            f"the capital bid arrived on {format_date(case.received)}, after the round closed "
            f"on {format_date(closes)}",
        )


def _review_problem(entry: Logged, kind: DecisionKind) -> Iterator[Problem]:
    review = entry.decision.review_date
    assert review is not None
    if not kind.commits_money:
        yield Problem(
            entry.row,
            REVIEW,
            f"{format_date(review)} is set, but only agreed funding is reviewed: "
            f"leave it blank when the decision is '{kind.value}'",
        )


def _revenue_problems(
    logged: Sequence[Logged], cases: Mapping[str, CaseFacts], funds: Funds
) -> Iterator[Problem]:
    remaining = funds.revenue_budget - funds.revenue_committed
    for entry in logged:
        case = cases[entry.decision.case_ref]
        agreed = _agreed(entry)
        if case.request_type is RequestType.capital or not agreed:
            continue
        remaining -= agreed
        if remaining < 0:
            yield Problem(
                entry.row,
                AMOUNT,
                f"takes revenue commitments {pounds(-remaining)} beyond the budget of "
                f"{pounds(funds.revenue_budget)} ({pounds(funds.revenue_committed)} committed "
                "at other meetings)",
            )


def _capital_problems(
    logged: Sequence[Logged], cases: Mapping[str, CaseFacts], funds: Funds
) -> Iterator[Problem]:
    by_setting = dict(funds.capital_committed_by_setting)
    fund_left = funds.capital_fund - sum(by_setting.values(), NOTHING)
    for entry in logged:
        case = cases[entry.decision.case_ref]
        agreed = _agreed(entry)
        if case.request_type is not RequestType.capital or not agreed:
            continue
        total = by_setting.get(case.setting, NOTHING) + agreed
        by_setting[case.setting] = total
        fund_left -= agreed
        if total > funds.capital_cap_per_setting:
            yield Problem(
                entry.row,
                AMOUNT,
                f"gives {case.setting} {pounds(total)} of capital, over the cap of "
                f"{pounds(funds.capital_cap_per_setting)} per setting",
            )
        if fund_left < 0:
            yield Problem(
                entry.row,
                AMOUNT,
                f"takes capital {pounds(-fund_left)} beyond the fund of "
                f"{pounds(funds.capital_fund)}",
            )


def _agreed(entry: Logged) -> Decimal:
    decision = entry.decision
    if not decision.decision.commits_money:
        return NOTHING
    return decision.amount_agreed or NOTHING
