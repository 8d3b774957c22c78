"""A case closes when nothing more is to happen to it: declined at a meeting, or a recommended
capital bid once the panel's evaluation of impact is recorded. Its last state in the register
is then "closed", and the next bundle's previous actions say so. A deferred case, or agreed
funding not yet reviewed, stays open."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from test_capital_after_panel import recommended
from test_decisions_roundtrip import FIRST, SECOND, decided, fill, import_log, pdf_text

from pipeline.admin import make_bundle
from pipeline.config import Config
from pipeline.meetings.capital.progress import record_step
from pipeline.round_records import CapitalStep
from pipeline.runner import open_context

__all__ = ["decided", "recommended"]  # the fixtures, used here by name
ADMIN = "Cluster admin"
ACTION = "Tell the school what evidence a new referral would need"


def decide_october(config: Config, log: Path, rows: list[tuple[str, float | None]]) -> list[str]:
    """October's log filled in row by row (each with an action), imported; its case refs."""
    fill(log, [(kind, amount, None) for kind, amount in rows])
    book = openpyxl.load_workbook(log)
    sheet = book["Decisions"]
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, 9).value = ACTION
    book.save(log)
    import_log(config, log)
    return [str(sheet.cell(row, 1).value) for row in range(2, sheet.max_row + 1)]


def last_state(config: Config, ref: str) -> tuple[str, date | None, str]:
    with open_context(config) as ctx:
        last = ctx.register.case_states(ref)[-1]
    return last.state, last.meeting, last.by


def test_a_declined_case_is_closed_at_the_meeting_that_declined_it(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    declined, _, _ = decide_october(config, log, [("Declined", None)] * 3)
    with open_context(config) as ctx:
        states = [(s.state, s.meeting, s.by) for s in ctx.register.case_states(declined)]
    assert states[-2:] == [("declined", FIRST, ADMIN), ("closed", FIRST, ADMIN)]


def test_the_next_bundle_shows_a_declined_case_as_closed(decided: tuple[Config, Path]) -> None:
    config, log = decided
    declined, _, _ = decide_october(config, log, [("Declined", None)] * 3)
    with open_context(config) as ctx:
        make_bundle(ctx, SECOND, by=ADMIN)
    folder = config.paths.outbox / "meetings" / SECOND.isoformat()
    text = " ".join(pdf_text(folder / "bundle-full.pdf").split())
    assert declined in text
    assert "Closed (16 October 2025)" in text
    assert "Declined (16 October 2025)" not in text


def test_importing_the_log_again_closes_a_declined_case_once(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    declined, _, _ = decide_october(config, log, [("Declined", None)] * 3)
    assert import_log(config, log) == 0
    with open_context(config) as ctx:
        closed = [s for s in ctx.register.case_states(declined) if s.state == "closed"]
    assert len(closed) == 1


def test_agreed_and_deferred_cases_stay_open(decided: tuple[Config, Path]) -> None:
    config, log = decided
    agreed, deferred, _ = decide_october(
        config, log, [("Agreed", 500.0), ("Deferred", None), ("Declined", None)]
    )
    assert last_state(config, agreed) == ("agreed", FIRST, ADMIN)
    assert last_state(config, deferred) == ("listed", SECOND, ADMIN)


def test_a_recommended_bid_closes_when_its_evaluation_of_impact_is_recorded(
    recommended: tuple[Config, str, str],
) -> None:
    config, ref, _ = recommended
    with open_context(config) as ctx:
        record_step(ctx, ref, CapitalStep.completed, date(2026, 7, 20), "", ADMIN)
        assert ctx.register.case_states(ref)[-1].state == "agreed"
        record_step(ctx, ref, CapitalStep.evaluated, date(2026, 9, 24), "Used daily", ADMIN)
        record_step(ctx, ref, CapitalStep.evaluated, date(2026, 9, 25), "Used daily", ADMIN)
        states = ctx.register.case_states(ref)
    assert [s.state for s in states].count("closed") == 1
    assert (states[-1].state, states[-1].by) == ("closed", ADMIN)


def test_a_declined_bid_is_closed_at_the_round_meeting(
    recommended: tuple[Config, str, str],
) -> None:
    config, _, declined = recommended
    state, meeting, _ = last_state(config, declined)
    assert (state, meeting) == ("closed", date(2026, 2, 5))
