"""The admin's work the CLI calls: hear a case at another meeting, accept a finding with a
reason, make a meeting's bundle.

A change to a case and its validation again are one transaction; the case's JSON is then
written from what committed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.context import Context
from pipeline.errors import PipelineError
from pipeline.flow import reassess_case
from pipeline.meetings.pack import case_file, configured_meeting, meeting_pack
from pipeline.models import RequestType, Submission
from pipeline.outcomes import DecisionKind
from pipeline.reports.publish import publish
from pipeline.reports.wording import format_date
from pipeline.rules.capital_round import assessment_meeting


def move_case(
    ctx: Context, case_ref: str, day: date, by: str, *, today: date | None = None
) -> tuple[Submission, ...]:
    """Hear the case at the meeting on ``day`` (a configured one from ``today`` on), whatever
    its arrival date; a case the panel has decided stays where it was decided (a deferred
    one may move), and a capital bid stays at the round's meeting."""
    _require_case(ctx, case_ref)
    configured_meeting(ctx, day)
    decided = ctx.register.decision(case_ref)
    if decided is not None and decided.decision is not DecisionKind.deferred:
        raise PipelineError(
            f"{case_ref} was decided at the meeting on {format_date(decided.meeting)} "
            f"({decided.decision.value}); a decided case cannot be moved"
        )
    if day < (today or date.today()):
        raise PipelineError(
            f"the meeting on {format_date(day)} is in the past; choose a later meeting"
        )
    if decided is None:
        _keep_capital_at_its_round(ctx, case_ref, day)
    with ctx.register.transaction():
        ctx.register.move_case(case_ref, day, by)
        updated = reassess_case(case_ref, ctx)
    publish(ctx)
    return updated


def _keep_capital_at_its_round(ctx: Context, case_ref: str, day: date) -> None:
    """The round's bids are ranked against each other and the fund at one meeting: a bid the
    panel has not deferred is heard there or not at all."""
    assessed = assessment_meeting(ctx.config)
    if assessed is None or day == assessed.day:
        return
    if case_file(ctx, case_ref).request_type is RequestType.capital:
        raise PipelineError(
            f"{case_ref} is a capital bid: the round's bids are assessed together at the "
            f"meeting on {format_date(assessed.day)}, the first after the round closed on "
            f"{format_date(ctx.config.capital.closes)}; it cannot be moved"
        )


def accept_finding(
    ctx: Context, case_ref: str, code: str, *, field: str | None, reason: str, by: str
) -> tuple[Submission, ...]:
    """Let an open finding stand: it stays listed as accepted, with who, when and why, and no
    longer stops the case going to panel."""
    submissions = _require_case(ctx, case_ref)
    matching = [
        f
        for f in submissions[-1].findings
        if f.code == code and (field is None or f.field == field) and f.accepted is None
    ]
    if not matching:
        raise PipelineError(
            f"{case_ref} has no open finding {code}" + (f" on {field}" if field else "")
        )
    if not reason.strip():
        raise PipelineError("say why the finding is accepted (--reason)")
    with ctx.register.transaction():
        for found in matching:
            ctx.register.accept_finding(case_ref, found.key, reason.strip(), by)
        updated = reassess_case(case_ref, ctx)
    publish(ctx)
    return updated


def make_bundle(ctx: Context, day: date, by: str, *, fresh: bool = False) -> list[Path]:
    """Both editions of the meeting's bundle and its decision log, in outbox/meetings/<date>/:
    version 1, or the issued version with late additions (``fresh``: version 1 again)."""
    # Imported here: the PDF library and pandas cost every command's start-up a second.
    from pipeline.meetings.bundle.outputs import build_meeting_outputs
    from pipeline.meetings.capital.write_sheet import write_scoring_sheet

    pack = meeting_pack(ctx, day)
    out_dir = ctx.config.paths.outbox / "meetings" / day.isoformat()
    paths = build_meeting_outputs(pack, ctx.config, ctx.store.read, out_dir, fresh=fresh)
    if (sheet := write_scoring_sheet(out_dir, pack)) is not None:
        paths.append(sheet)
    ctx.register.audit(by, "make_bundle", f"meeting {day.isoformat()}: {len(pack.cases)} case(s)")
    return paths


def _require_case(ctx: Context, case_ref: str) -> list[Submission]:
    submissions = ctx.register.case_submissions(case_ref)
    if not submissions:
        raise PipelineError(f"there is no case {case_ref}")
    return submissions
