"""The filled decision log back into the register: decisions, committed money, reviews due,
and an outcome email draft for each school."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

from pipeline.atomic import write_atomic
from pipeline.context import Context
from pipeline.meetings.decision_log import read_decision_log
from pipeline.meetings.outcomes import outcome_email
from pipeline.meetings.pack import case_file, configured_meeting
from pipeline.outcomes import Decision

REVIEW_WITHIN = relativedelta(years=1)


@dataclass(frozen=True)
class Imported:
    decisions: tuple[Decision, ...]
    changed: int
    undecided: tuple[str, ...]
    drafts: tuple[Path, ...]


def import_decisions(ctx: Context, log: Path, day: date, by: str) -> Imported:
    """Check every row first (a bad row names its row and column and nothing is imported),
    then record all decisions in one transaction."""
    configured_meeting(ctx, day)
    on_agenda = ctx.register.cases_for_meeting(day)
    decisions = [_with_review(d) for d in read_decision_log(log.read_bytes(), day, set(on_agenda))]
    changed = ctx.register.save_decisions(decisions, source=log.name, by=by)
    drafts = tuple(_draft(ctx, decision) for decision in decisions)
    decided = {d.case_ref for d in decisions}
    return Imported(
        tuple(decisions),
        changed,
        tuple(r for r in on_agenda if r not in decided),
        tuple(p for p in drafts if p is not None),
    )


def _with_review(decision: Decision) -> Decision:
    """Agreed funding is reviewed within a year of allocation."""
    if decision.decision.commits_money and decision.review_date is None:
        return decision.model_copy(update={"review_date": decision.meeting + REVIEW_WITHIN})
    return decision


def _draft(ctx: Context, decision: Decision) -> Path | None:
    case = case_file(ctx, decision.case_ref)
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
    write_atomic(path, outcome_email(decision, case, to, ctx.config))
    return path


def _school_address(ctx: Context, case_ref: str) -> str | None:
    submissions = ctx.register.case_submissions(case_ref)
    return next((s.sender for s in submissions if s.sender), None)
