"""The money on one agenda: revenue asked for against what is left, capital bids by setting."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pipeline.config import Config
from pipeline.meetings.models import CaseFile, Finance
from pipeline.models import RequestType

UNKNOWN_SETTING = "Setting not known"


def finance_for(
    config: Config,
    cases_on_agenda: Sequence[CaseFile],
    committed_revenue: float,
    capital_committed_by_setting: Mapping[str, float],
) -> Finance:
    """The Finance of a meeting from its cases and what earlier meetings agreed.

    Capital bids count against the Inclusive Environments Capital Fund, by setting; every
    other case that asks for an amount counts against the revenue budget.
    """
    return Finance(
        revenue_budget=config.budget.revenue,
        revenue_committed=round(committed_revenue, 2),
        revenue_requested=revenue_requested(cases_on_agenda),
        capital_fund=config.capital.fund_total,
        capital_cap_per_setting=config.capital.per_setting_cap,
        capital_committed_by_setting=dict(capital_committed_by_setting),
        capital_requested_by_setting=capital_requested_by_setting(cases_on_agenda),
    )


def revenue_requested(cases: Sequence[CaseFile]) -> float:
    return round(
        sum(
            c.amount_requested
            for c in cases
            if c.amount_requested is not None and c.request_type is not RequestType.capital
        ),
        2,
    )


def capital_requested_by_setting(cases: Sequence[CaseFile]) -> dict[str, float]:
    requested: dict[str, float] = {}
    for case in cases:
        if case.request_type is RequestType.capital and case.amount_requested is not None:
            setting = case.setting or UNKNOWN_SETTING
            requested[setting] = round(requested.get(setting, 0.0) + case.amount_requested, 2)
    return requested


def capital_settings(finance: Finance) -> list[str]:
    """Every setting with capital committed or requested, in alphabetical order."""
    return sorted({*finance.capital_committed_by_setting, *finance.capital_requested_by_setting})


def capital_total(finance: Finance, setting: str) -> float:
    return finance.capital_committed_by_setting.get(
        setting, 0.0
    ) + finance.capital_requested_by_setting.get(setting, 0.0)


def capital_over_cap(finance: Finance, setting: str) -> bool:
    return capital_total(finance, setting) > finance.capital_cap_per_setting + 0.005


def capital_committed(finance: Finance) -> float:
    return sum(finance.capital_committed_by_setting.values())


def capital_requested(finance: Finance) -> float:
    return sum(finance.capital_requested_by_setting.values())


def capital_remaining_if_all_agreed(finance: Finance) -> float:
    return finance.capital_fund - capital_committed(finance) - capital_requested(finance)
