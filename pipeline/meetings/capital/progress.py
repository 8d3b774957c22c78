"""A recommended bid's steps to payment, as the admin records them (`pipeline capital record`).

Only a bid the panel agreed (recommended) has steps; funds are released only once the
project is completed, the quality-assurance visit made and the paid invoices received.
"""

from __future__ import annotations

from datetime import date

from pipeline.context import Context
from pipeline.errors import PipelineError
from pipeline.meetings.pack import case_file
from pipeline.models import RequestType
from pipeline.reports.wording import format_date
from pipeline.round_records import BEFORE_RELEASE, CapitalStep, ProgressEntry


def record_step(
    ctx: Context, case_ref: str, step: CapitalStep, on: date, note: str, by: str
) -> ProgressEntry:
    case = case_file(ctx, case_ref)
    if case.request_type is not RequestType.capital:
        raise PipelineError(f"{case_ref} is not a capital bid")
    decision = ctx.register.decision(case_ref)
    if decision is None or not decision.decision.commits_money:
        raise PipelineError(f"{case_ref} was not recommended by the panel; it has no steps")
    if on < decision.meeting:
        raise PipelineError(
            f"{format_date(on)} is before the panel recommended the bid "
            f"({format_date(decision.meeting)})"
        )
    done = {entry.step for entry in ctx.register.progress(case_ref)}
    if step is CapitalStep.funds_released and (
        missing := [s for s in BEFORE_RELEASE if s not in done]
    ):
        raise PipelineError(
            f"{case_ref}: funds are released only after "
            + ", ".join(s.label.lower() for s in missing)
        )
    if step is CapitalStep.evaluated and not note.strip():
        raise PipelineError("say what the evaluation found (--note)")
    entry = ProgressEntry(case_ref=case_ref, step=step, on=on, note=note.strip(), by=by)
    ctx.register.record_progress(entry)
    return entry
