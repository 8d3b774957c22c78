"""A capital bid the panel defers at the round's meeting (5 February) is heard at the next
meeting (19 March), like any deferred case: the seeds' timeline (decisions communicated in
February, projects from the spring term, complete by 31 August) leaves room for a decision in
March, and the bid keeps the score the panel gave it in February."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from capital_world import (
    ROUND_MEETING,
    bundle_text,
    fill_scores,
    make_round_bundle,
    round_with_bids,
)
from test_decisions_roundtrip import fill

from pipeline.admin import make_bundle
from pipeline.config import Config
from pipeline.meetings.capital.scores import import_scores
from pipeline.meetings.record_decisions import import_decisions
from pipeline.runner import open_context

MARCH = date(2026, 3, 19)
ADMIN = "Cluster admin"


@pytest.fixture
def deferred_bid(config: Config) -> tuple[Config, str]:
    """Two bids scored at the round meeting, the first deferred, the second recommended."""
    first, second = sorted(round_with_bids(config, [6_000, 5_000]))
    folder = make_round_bundle(config)
    fill_scores(folder / "scoring-sheet.xlsx", {first: (4,) * 6, second: (3,) * 6})
    log = folder / "decision-log.xlsx"
    fill(log, [("Deferred", None, None), ("Agreed", 5_000, None)])
    with open_context(config) as ctx:
        import_scores(ctx, folder / "scoring-sheet.xlsx", ROUND_MEETING, by=ADMIN)
        import_decisions(ctx, log, ROUND_MEETING, by=ADMIN)
        make_bundle(ctx, MARCH, by=ADMIN)
    return config, first


def march_folder(config: Config) -> Path:
    return config.paths.outbox / "meetings" / MARCH.isoformat()


def test_a_capital_bid_deferred_at_the_round_meeting_is_on_the_next_meetings_agenda(
    deferred_bid: tuple[Config, str],
) -> None:
    config, ref = deferred_bid
    with open_context(config) as ctx:
        assert ctx.register.cases_for_meeting(MARCH) == [ref]
    rows = openpyxl.load_workbook(march_folder(config) / "decision-log.xlsx")["Decisions"]
    assert [rows.cell(r, 1).value for r in range(2, rows.max_row + 1)] == [ref]
    assert "At the meeting on 5 February 2026" in bundle_text(march_folder(config), "full")


def test_a_deferred_capital_bid_can_be_recommended_at_the_next_meeting(
    deferred_bid: tuple[Config, str],
) -> None:
    config, ref = deferred_bid
    log = march_folder(config) / "decision-log.xlsx"
    fill(log, [("Agreed", 6_000, None)])
    with open_context(config) as ctx:
        imported = import_decisions(ctx, log, MARCH, by=ADMIN)
        decision = ctx.register.decision(ref)
    assert imported.changed == 1
    assert decision is not None and decision.meeting == MARCH
    assert decision.review_date is None  # a bid is followed by its steps, not a review
