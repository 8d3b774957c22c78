"""The impact figures of one meeting from the register."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pipeline.cases.impact_values import impact_values
from pipeline.context import Context
from pipeline.meetings.impact.figures import Impact, impact_figures
from pipeline.meetings.impact.inputs import impact_inputs
from pipeline.rules.cutoff import meetings

if TYPE_CHECKING:  # pandas is imported where the tables are made (impact/inputs.py)
    import pandas as pd

    Inputs = tuple[pd.DataFrame, pd.DataFrame]


def load_inputs(ctx: Context) -> Inputs:
    """The referrals and reviews tables from every submission in the register."""
    return impact_inputs(impact_values(s) for s in ctx.register.submissions())


def meeting_impact(
    ctx: Context, day: date, on_agenda: list[str], inputs: Inputs | None = None
) -> Impact:
    """As they stand on the meeting's day; "this meeting" counts since the one before."""
    earlier = [m.day for m in meetings(ctx.config.meetings) if m.day < day]
    referrals, reviews = inputs if inputs is not None else load_inputs(ctx)
    return impact_figures(
        day,
        earlier[-1] if earlier else None,
        on_agenda,
        referrals,
        reviews,
        ctx.register.cluster_counts(),
    )
