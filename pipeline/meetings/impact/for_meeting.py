"""The impact figures of one meeting, or of today for the tracker, from the register."""

from __future__ import annotations

from datetime import date

from pipeline.context import Context
from pipeline.meetings.impact.figures import Impact, impact_figures
from pipeline.meetings.impact.inputs import impact_inputs
from pipeline.models import RequestType
from pipeline.rules.cutoff import meetings


def meeting_impact(ctx: Context, day: date, on_agenda: list[str]) -> Impact:
    """As they stand on the meeting's day; "this meeting" counts since the one before."""
    earlier = [m.day for m in meetings(ctx.config.meetings) if m.day < day]
    referrals, reviews = impact_inputs(
        s for kind in (RequestType.ipn, RequestType.review) for s in ctx.register.submissions(kind)
    )
    return impact_figures(
        day,
        earlier[-1] if earlier else None,
        on_agenda,
        referrals,
        reviews,
        ctx.register.cluster_counts(),
    )
