"""A case deferred at one meeting comes back at the next, with its deferral on the summary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
from test_decisions_roundtrip import (
    FIRST,
    SECOND,
    decided,
    email_text,
    fill,
    import_log,
    pdf_text,
)

from pipeline.admin import make_bundle, move_case
from pipeline.config import Config
from pipeline.meetings.record_decisions import import_decisions
from pipeline.runner import open_context

__all__ = ["decided"]  # the fixture, used here by name

REASON = "More evidence needed from the speech and language therapist"


def defer_first(config: Config, log: Path) -> str:
    """October's log with its first case deferred (and a reason), imported; that case."""
    fill(log, [("Deferred", None, None), ("Declined", None, None), ("Declined", None, None)])
    book = openpyxl.load_workbook(log)
    book["Decisions"].cell(2, 9).value = REASON
    book.save(log)
    import_log(config, log)
    return str(book["Decisions"].cell(2, 1).value)


def agenda(config: Config, day: date) -> list[str]:
    with open_context(config) as ctx:
        return ctx.register.cases_for_meeting(day)


def test_a_deferred_case_is_listed_at_the_next_meeting(decided: tuple[Config, Path]) -> None:
    config, log = decided
    deferred = defer_first(config, log)
    assert deferred in agenda(config, SECOND)
    assert deferred not in agenda(config, FIRST)


def test_the_deferral_and_relisting_are_stored_with_who_made_them(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    deferred = defer_first(config, log)
    with open_context(config) as ctx:
        states = ctx.register.case_states(deferred)
        audit = ctx.register.audit_log()
    assert [(s.state, s.meeting, s.by) for s in states[-2:]] == [
        ("deferred", FIRST, "Cluster admin"),
        ("listed", SECOND, "Cluster admin"),
    ]
    assert states[-2].reason == REASON
    assert ("relist_deferred", f"{deferred} to meeting {SECOND.isoformat()}") in [
        (entry.action, entry.detail) for entry in audit
    ]


def test_the_next_bundle_shows_the_deferral_its_reason_and_date(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    deferred = defer_first(config, log)
    with open_context(config) as ctx:
        make_bundle(ctx, SECOND, by="Cluster admin")
    text = " ".join(
        pdf_text(config.paths.outbox / "meetings" / SECOND.isoformat() / "bundle-full.pdf").split()
    )
    assert f"{deferred}: case summary" in text
    assert f"At the meeting on 16 October 2025: {REASON}" in text


def test_importing_the_log_again_leaves_the_deferred_case_where_it_was_relisted(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    deferred = defer_first(config, log)
    with open_context(config) as ctx:
        states = ctx.register.case_states(deferred)
    assert import_log(config, log) == 0
    assert deferred in agenda(config, SECOND)
    with open_context(config) as ctx:
        assert ctx.register.case_states(deferred) == states


def test_the_case_lifecycle_runs_from_received_to_relisted(decided: tuple[Config, Path]) -> None:
    config, log = decided
    deferred = defer_first(config, log)
    with open_context(config) as ctx:
        states = ctx.register.case_states(deferred)
    assert [(s.state, s.meeting, s.by) for s in states] == [
        ("received", None, "pipeline"),
        (states[1].state, None, "pipeline"),
        ("listed", FIRST, "pipeline"),
        ("deferred", FIRST, "Cluster admin"),
        ("listed", SECOND, "Cluster admin"),
    ]
    assert states[1].state in ("ready", "incomplete")


def test_a_later_decision_is_not_undone_by_importing_the_earlier_log_again(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    deferred = defer_first(config, log)
    with open_context(config) as ctx:
        make_bundle(ctx, SECOND, by="Cluster admin")
    december = config.paths.outbox / "meetings" / SECOND.isoformat() / "decision-log.xlsx"
    rows = {ref: n for n, ref in enumerate(sorted(agenda(config, SECOND)), start=2)}
    book = openpyxl.load_workbook(december)
    book["Decisions"].cell(rows[deferred], 6).value = "Declined"
    book.save(december)
    with open_context(config) as ctx:
        import_decisions(ctx, december, SECOND, by="Cluster admin")
    assert import_log(config, log) == 0
    with open_context(config) as ctx:
        decision = ctx.register.decision(deferred)
    assert decision is not None and (decision.meeting, decision.decision.value) == (
        SECOND,
        "Declined",
    )


def test_the_schools_outcome_email_names_the_meeting_the_deferred_case_goes_to(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    deferred = defer_first(config, log)
    draft = config.paths.outbox / "meetings" / FIRST.isoformat() / "outcomes" / f"{deferred}.eml"
    text = " ".join(email_text(draft).split())
    assert "The panel deferred its decision to its meeting on 11 December 2025." in text


def test_the_outcome_email_names_the_meeting_a_moved_deferred_case_is_listed_at(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    deferred = defer_first(config, log)
    with open_context(config) as ctx:
        move_case(ctx, deferred, date(2026, 3, 19), by="Cluster admin", today=date(2025, 10, 20))
    import_log(config, log)  # the same log again: its drafts written again
    draft = config.paths.outbox / "meetings" / FIRST.isoformat() / "outcomes" / f"{deferred}.eml"
    text = " ".join(email_text(draft).split())
    assert "The panel deferred its decision to its meeting on 19 March 2026." in text
