"""The capital round of the simulated year: bids before, during and after the round, the
panel's scoring sheet (first filled with mistakes), and decision-log rows that try to give a
setting more than the cap or recommend a bid the round cannot hear."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from pipeline.config import Config
from pipeline.meetings.models import MeetingPack
from pipeline.models import RequestType, Status
from testkit.samples import render_email
from testkit.samples.kinds import KINDS
from testkit.samples.kinds.form import SampleForm, redate

LONDON = ZoneInfo("Europe/London")
CLOSES = date(2025, 12, 31)  # the seeds' deadline for submission
OVER_THE_CAP = Decimal(2_000)  # the bad log agrees every bid with this much more


@dataclass(frozen=True)
class Bid:
    name: str
    day: date
    setting_index: int  # the test kit's mainstream setting of that index
    amount: float
    title: str | None = None


BIDS = (
    Bid("before the round opened", date(2025, 8, 20), 1, 6_000),
    Bid("the first of its setting", date(2025, 9, 15), 2, 9_000),
    Bid("near the cap", date(2025, 10, 6), 3, 14_000),
    Bid("its setting's second, over the cap", date(2025, 11, 10), 2, 8_000, "Second quiet room"),
    Bid("on the closing day", CLOSES, 4, 7_500),
    Bid("late, before the round meeting's cut-off", date(2026, 1, 6), 5, 5_000),
    Bid("late, after the round meeting's cut-off", date(2026, 2, 20), 6, 5_000),
    Bid("in the summer term", date(2026, 4, 20), 7, 5_000),
)
SENT_FOR_THE_ROUND = tuple(b for b in BIDS if b.day <= CLOSES)


def bid_email(config: Config, bid: Bid) -> tuple[datetime, bytes]:
    """The bid as its school sends it, arriving at 11:00 on its day."""
    rng = random.Random(f"{bid.name}-{bid.day}")
    sample = KINDS["capital_bid"].make(rng, config, bid.setting_index)
    assert isinstance(sample, SampleForm)
    when = datetime.combine(bid.day, time(11), LONDON)
    sample = redate(sample, when, rng)
    values = {
        **sample.values,
        "amount_requested": bid.amount,
        "total_project_cost": bid.amount + 500,
        **({"project_title": bid.title} if bid.title else {}),
    }
    return when, render_email(sample.model_copy(update={"values": values}))


def fill_scores(sheet: Path, *, mistakes: bool) -> list[str]:
    """The panel's scores for every bid row; with ``mistakes``, the first bid scored 7 (the
    scale is 0 to 5) and the others left blank. The case references, in row order."""
    book = openpyxl.load_workbook(sheet)
    rows = book["Scores"]
    header = [cell.value for cell in rows[1]]
    first = header.index("Strategic fit") + 1
    refs = []
    for row in range(2, rows.max_row + 1):
        refs.append(str(rows.cell(row, 1).value))
        scores: tuple[int | None, ...] = tuple(5 - (row + n) % 4 for n in range(6))
        if mistakes:
            scores = (7, 5, 5, 5, 5, 5) if row == 2 else (None,) * 6
        rows.cell(row, header.index("Reviewers") + 1).value = None if mistakes else "AB, CD"
        for offset, value in enumerate(scores):
            rows.cell(row, first + offset).value = value
    book.save(sheet)
    return refs


def capital_decision(pack: MeetingPack, ref: str) -> tuple[str, Decimal | None]:
    """The panel recommends every scored bid that is ready, at the amount it asked for; it
    declines the rest (never defers: the round is heard once)."""
    case = next(c for c in pack.cases if c.case_ref == ref)
    if case.status is Status.incomplete or ref not in pack.capital_scores:
        return "Declined", None
    return "Agreed", case.amount_requested


def is_capital(pack: MeetingPack, ref: str) -> bool:
    return any(c.case_ref == ref and c.request_type is RequestType.capital for c in pack.cases)
