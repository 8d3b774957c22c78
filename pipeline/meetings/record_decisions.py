"""The filled decision log back into the register: decisions, committed money, reviews due,
and an outcome email draft for each school."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

from pipeline.atomic import write_atomic
from pipeline.context import Context
from pipeline.meetings.decision_checks import CaseFacts, Funds, check_decisions
from pipeline.meetings.decision_log import DecisionLogError, read_logged
from pipeline.meetings.finance import UNKNOWN_SETTING
from pipeline.meetings.models import CaseFile
from pipeline.meetings.outcomes import outcome_email
from pipeline.meetings.pack import (
    case_file,
    cases_heard_at,
    committed_money,
    configured_meeting,
)
from pipeline.models import RequestType, Severity
from pipeline.outcomes import Decision, DecisionKind
from pipeline.rules.cutoff import meetings
from schemas.money import pennies

REVIEW_WITHIN = relativedelta(years=1)


@dataclass(frozen=True)
class Imported:
    decisions: tuple[Decision, ...]
    changed: int
    undecided: tuple[str, ...]
    drafts: tuple[Path, ...]


def import_decisions(ctx: Context, log: Path, day: date, by: str) -> Imported:
    """Check every row first against the sheet, the cases and the money (every problem is
    reported by row and column and nothing is imported), then record all decisions in one
    transaction."""
    configured_meeting(ctx, day)
    on_agenda = ctx.register.cases_for_meeting(day)
    logged, problems = read_logged(log.read_bytes(), day, set(cases_heard_at(ctx, day)))
    cases = {ref: case_file(ctx, ref) for ref in {e.decision.case_ref for e in logged}}
    facts = {
        ref: _facts(case, ctx.register.bid_score(ref) is not None) for ref, case in cases.items()
    }
    problems += check_decisions(logged, facts, _funds(ctx, day, set(cases)))
    if problems:
        raise DecisionLogError.of(problems)
    decisions = [_with_review(e.decision, cases[e.decision.case_ref]) for e in logged]
    relist = _next_meeting(ctx, day, decisions)
    changed = ctx.register.save_decisions(decisions, source=log.name, by=by, relist=relist)
    drafts = tuple(_draft(ctx, decision) for decision in decisions)
    decided = {d.case_ref for d in decisions}
    return Imported(
        tuple(decisions),
        changed,
        tuple(r for r in on_agenda if r not in decided),
        tuple(p for p in drafts if p is not None),
    )


def _next_meeting(ctx: Context, day: date, decisions: Sequence[Decision]) -> dict[str, date]:
    """Where each deferred case is listed: the next configured meeting, if there is one."""
    later = [m.day for m in meetings(ctx.config.meetings) if m.day > day]
    if not later:
        return {}
    return {d.case_ref: later[0] for d in decisions if d.decision is DecisionKind.deferred}


def _facts(case: CaseFile, scored: bool) -> CaseFacts:
    return CaseFacts(
        request_type=case.request_type,
        setting=case.setting or UNKNOWN_SETTING,
        amount_requested=case.amount_requested,
        open_errors=sum(f.severity is Severity.error for f in case.findings),
        received=case.received_at.date(),
        scored=scored,
    )


def _funds(ctx: Context, day: date, on_this_log: set[str]) -> Funds:
    """The money committed by every other meeting's decisions: re-importing this meeting's
    log counts its own decisions once."""
    others = [
        d
        for d in ctx.register.decisions()
        if d.meeting != day and d.case_ref not in on_this_log and d.decision.commits_money
    ]
    revenue, capital = committed_money(ctx, others)
    return Funds(
        revenue_budget=pennies(ctx.config.budget.revenue),
        revenue_committed=revenue,
        capital_fund=pennies(ctx.config.capital.fund_total),
        capital_cap_per_setting=pennies(ctx.config.capital.per_setting_cap),
        capital_committed_by_setting=capital,
        round_closes=ctx.config.capital.closes,
    )


def _with_review(decision: Decision, case: CaseFile) -> Decision:
    """Agreed funding is reviewed within a year of allocation; a recommended capital bid is
    followed by its steps to payment and the September evaluation instead."""
    if case.request_type is RequestType.capital:
        return decision
    if decision.decision.commits_money and decision.review_date is None:
        return decision.model_copy(update={"review_date": decision.meeting + REVIEW_WITHIN})
    return decision


def _draft(ctx: Context, decision: Decision) -> Path | None:
    case = case_file(ctx, decision.case_ref)
    relisted = _relisted(ctx, decision)
    to = _school_address(ctx, decision.case_ref)
    if to is None:
        return None
    path = (
        ctx.config.paths.outbox
        / "meetings"
        / decision.meeting.isoformat()
        / "outcomes"
        / f"{decision.case_ref}.eml"
    )
    write_atomic(path, outcome_email(decision, case, to, ctx.config, relisted))
    return path


def _relisted(ctx: Context, decision: Decision) -> date | None:
    """The later meeting a deferred case is listed at now (moved or relisted), if any."""
    if decision.decision is not DecisionKind.deferred:
        return None
    listed = ctx.register.listed_at(decision.case_ref)
    return listed if listed is not None and listed > decision.meeting else None


def _school_address(ctx: Context, case_ref: str) -> str | None:
    submissions = ctx.register.case_submissions(case_ref)
    return next((s.sender for s in submissions if s.sender), None)
