"""When the panel hears a capital bid: the seeds run the capital fund as one round.

Bids sent from the round's opening to its closing date (1 September to 31 December 2025)
are held until the round closes and assessed together at the first meeting after it; a bid
sent before the round opened is held the same way (its ``before_round_opens`` says so). A
bid arriving after the round closed gets ``after_round_deadline`` and is listed by the usual
cut-off rule, so the panel sees it was late.
"""

from __future__ import annotations

from datetime import date

from pipeline.config import Config
from pipeline.models import Meeting
from pipeline.rules.cutoff import meetings


def round_meeting(arrived: date, config: Config) -> Meeting | None:
    """The meeting a bid arriving on ``arrived`` is held for, or None when the round has
    closed (or no meeting follows it): then the cut-off rule decides."""
    closes = config.capital.closes
    if arrived > closes:
        return None
    return next((m for m in meetings(config.meetings) if m.day > closes), None)
