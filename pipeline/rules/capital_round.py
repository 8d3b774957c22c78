"""When the panel hears a capital bid: the seeds run the capital fund as one round.

Bids sent from the round's opening to its closing date (1 September to 31 December 2025)
are held until the round closes and assessed together at the first meeting after it; a bid
sent before the round opened is held the same way (its ``before_round_opens`` says so). A
bid arriving after the round closed gets ``after_round_deadline``: it is listed by the usual
cut-off rule up to the round's meeting, so the panel sees it was late, and after that at no
meeting of this round (the school is told to ask about the next round).
"""

from __future__ import annotations

from datetime import date

from pipeline.config import Config
from pipeline.models import Meeting
from pipeline.rules.cutoff import meetings


def assessment_meeting(config: Config) -> Meeting | None:
    """The first meeting after the round closes, which assesses its bids together."""
    closes = config.capital.closes
    return next((m for m in meetings(config.meetings) if m.day > closes), None)


def round_meeting(arrived: date, config: Config) -> Meeting | None:
    """The meeting a bid arriving on ``arrived`` is held for, or None when the round has
    closed (or no meeting follows it): then the cut-off rule decides."""
    if arrived > config.capital.closes:
        return None
    return assessment_meeting(config)


def past_the_round(meeting: Meeting, config: Config) -> bool:
    """Whether a late bid the cut-off rule gives ``meeting`` would be heard after the round's
    own meeting: it then waits for the next round instead."""
    assessed = assessment_meeting(config)
    return assessed is not None and meeting.day > assessed.day
