"""The money on one agenda: revenue asked for against what is left, capital bids by setting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from pipeline.config import Config
from pipeline.meetings.models import CaseFile, Finance
from pipeline.models import RequestType, Status
from schemas.money import pennies

UNKNOWN_SETTING = "Setting not known"
NOTHING = Decimal(0)


def finance_for(
    config: Config,
    cases_on_agenda: Sequence[CaseFile],
    committed_revenue: Decimal,
    capital_committed_by_setting: Mapping[str, Decimal],
) -> Finance:
    """The Finance of a meeting from its cases and what earlier meetings agreed.

    Capital bids count against the Inclusive Environments Capital Fund, by setting; every
    other case that asks for an amount counts against the revenue budget.
    """
    return Finance(
        revenue_budget=pennies(config.budget.revenue),
        revenue_committed=committed_revenue,
        revenue_requested=revenue_requested(cases_on_agenda),
        capital_fund=pennies(config.capital.fund_total),
        capital_cap_per_setting=pennies(config.capital.per_setting_cap),
        capital_committed_by_setting=dict(capital_committed_by_setting),
        capital_requested_by_setting=capital_requested_by_setting(cases_on_agenda),
    )


def revenue_requested(cases: Sequence[CaseFile]) -> Decimal:
    """Revenue asked for by the cases ready for decision: a case not ready is not counted."""
    return sum(
        (
            c.amount_requested
            for c in cases
            if c.amount_requested is not None
            and c.request_type is not RequestType.capital
            and c.status is not Status.incomplete
        ),
        NOTHING,
    )


def capital_requested_by_setting(cases: Sequence[CaseFile]) -> dict[str, Decimal]:
    requested: dict[str, Decimal] = {}
    for case in cases:
        if case.request_type is RequestType.capital and case.amount_requested is not None:
            setting = case.setting or UNKNOWN_SETTING
            requested[setting] = requested.get(setting, NOTHING) + case.amount_requested
    return requested


def capital_settings(finance: Finance) -> list[str]:
    """Every setting with capital committed or requested, in alphabetical order."""
    return sorted({*finance.capital_committed_by_setting, *finance.capital_requested_by_setting})


def capital_total(finance: Finance, setting: str) -> Decimal:
    return finance.capital_committed_by_setting.get(
        setting, NOTHING
    ) + finance.capital_requested_by_setting.get(setting, NOTHING)


def capital_over_cap(finance: Finance, setting: str) -> bool:
    return capital_total(finance, setting) > finance.capital_cap_per_setting


def capital_committed(finance: Finance) -> Decimal:
    return sum(finance.capital_committed_by_setting.values(), NOTHING)


def capital_requested(finance: Finance) -> Decimal:
    return sum(finance.capital_requested_by_setting.values(), NOTHING)


def capital_remaining_if_all_agreed(finance: Finance) -> Decimal:
    return finance.capital_fund - capital_committed(finance) - capital_requested(finance)
