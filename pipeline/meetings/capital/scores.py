"""The filled scoring sheet into the register: checked whole, then recorded in one go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.context import Context
from pipeline.meetings.capital.read_sheet import read_scoring_sheet
from pipeline.meetings.pack import case_file, configured_meeting
from pipeline.models import RequestType
from pipeline.round_records import BidScore


def import_scores(ctx: Context, sheet: Path, day: date, by: str) -> tuple[list[BidScore], int]:
    """Every capital bid listed at the meeting must be scored; returns the scores and how
    many changed (the same sheet again changes nothing)."""
    configured_meeting(ctx, day)
    bids = {
        case.case_ref: case.setting or "setting not known"
        for case in (case_file(ctx, ref) for ref in ctx.register.cases_for_meeting(day))
        if case.request_type is RequestType.capital
    }
    scores = read_scoring_sheet(sheet.read_bytes(), day, bids)
    return scores, ctx.register.save_scores(scores, source=sheet.name, by=by)
