"""What the outcome email tells a capital bidder: the panel recommends, the Board decides,
and funding follows completion, a quality-assurance visit and paid invoices."""

from __future__ import annotations

from pipeline.config import Config
from pipeline.outcomes import Decision, DecisionKind
from pipeline.reports.wording import format_date, format_money

BOARD = "the Local Authority's Place, Planning and Sufficiency Board"


def capital_outcome(decision: Decision, config: Config, next_meeting: str) -> list[str]:
    """The decision's lines for a capital bid, in place of the revenue wording; a deferred bid
    is told of ``next_meeting`` (its meeting on a day, or a later meeting)."""
    if not decision.decision.commits_money:
        word = {
            DecisionKind.declined: "The panel did not recommend the bid.",
            DecisionKind.deferred: f"The panel deferred its recommendation to {next_meeting}.",
        }[decision.decision]
        return [f"Decision: {decision.decision.value}. {word}"]
    amount = format_money(decision.amount_agreed) if decision.amount_agreed is not None else ""
    return [
        f"Decision: recommended{_changes(decision)}. "
        f"The panel has recommended the bid to {BOARD}" + (f" for {amount}." if amount else "."),
        "",
        "What follows:",
        f"- complete the project by {format_date(config.capital.complete_by)};",
        "- a quality-assurance visit to the setting once the work is done;",
        "- send the paid invoices to the cluster;",
        "- the funding is then released to the setting.",
        "The Cluster Panel evaluates the impact of the project in September.",
    ]


def _changes(decision: Decision) -> str:
    return " with changes" if decision.decision is DecisionKind.agreed_with_changes else ""
