"""`case move` refuses a case the panel has decided and a meeting already held."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from capital_world import ROUND_MEETING, round_with_bids
from conftest import ROOT
from test_decisions_roundtrip import FIRST, SECOND, decided, fill, import_log

from pipeline.admin import move_case
from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.models import RequestType
from pipeline.runner import open_context
from testkit.demo import MEETING as DEMO_MEETING
from testkit.demo import gather_at_meeting
from testkit.samples import make_sample, render_emails

__all__ = ["decided"]  # the fixture, used here by name

BEFORE_DECEMBER = date(2025, 11, 20)


def agenda(config: Config, day: date) -> list[str]:
    with open_context(config) as ctx:
        return ctx.register.cases_for_meeting(day)


def test_a_decided_case_cannot_be_moved(decided: tuple[Config, Path]) -> None:
    config, log = decided
    import_log(config, log)
    agreed = agenda(config, FIRST)[0]
    with open_context(config) as ctx, pytest.raises(PipelineError) as refused:
        move_case(ctx, agreed, SECOND, by="Cluster admin", today=date(2025, 10, 20))
    assert str(refused.value) == (
        f"{agreed} was decided at the meeting on 16 October 2025 (Agreed with changes); "
        "a decided case cannot be moved"
    )
    assert agreed in agenda(config, FIRST)


def test_a_deferred_case_can_be_moved(decided: tuple[Config, Path]) -> None:
    config, log = decided
    deferred = sorted(agenda(config, FIRST))[0]  # the log's first row
    fill(log, [("Deferred", None, None)])
    import_log(config, log)
    with open_context(config) as ctx:
        move_case(ctx, deferred, date(2026, 3, 19), by="Cluster admin", today=date(2025, 10, 20))
    assert deferred in agenda(config, date(2026, 3, 19))


def test_a_case_cannot_be_moved_to_a_meeting_already_held(decided: tuple[Config, Path]) -> None:
    config, _ = decided
    waiting = agenda(config, SECOND)[0]
    with open_context(config) as ctx, pytest.raises(PipelineError) as refused:
        move_case(ctx, waiting, FIRST, by="Cluster admin", today=BEFORE_DECEMBER)
    assert str(refused.value) == (
        "the meeting on 16 October 2025 is in the past; choose a later meeting"
    )
    assert waiting in agenda(config, SECOND)


def test_pipeline_case_move_to_a_past_meeting_prints_one_line_and_exits_1(
    decided: tuple[Config, Path],
) -> None:
    config, _ = decided
    waiting = agenda(config, SECOND)[0]
    config_file = config.paths.inbox.parent / "config.toml"
    config_file.write_text((ROOT / "config.toml").read_text(encoding="utf-8"), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "case",
            "move",
            waiting,
            "--to",
            FIRST.isoformat(),
            "--today",
            BEFORE_DECEMBER.isoformat(),
            "--config",
            str(config_file),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: the meeting on 16 October 2025 is in the past; choose a later meeting"
    ]


def test_a_capital_bid_cannot_be_moved_off_the_round_meeting(config: Config) -> None:
    [bid] = round_with_bids(config, [8_000])
    with open_context(config) as ctx, pytest.raises(PipelineError) as refused:
        move_case(ctx, bid, date(2026, 3, 19), by="Cluster admin", today=BEFORE_DECEMBER)
    assert str(refused.value) == (
        f"{bid} is a capital bid: the round's bids are assessed together at the meeting on "
        "5 February 2026, the first after the round closed on 31 December 2025; "
        "it cannot be moved"
    )
    assert bid in agenda(config, ROUND_MEETING)


def test_the_demo_meeting_gathers_group_matters_and_leaves_capital_bids_at_their_round(
    config: Config,
) -> None:
    project = make_sample("project_referral", 1, "clean", config)
    for n, email in enumerate(render_emails(project)):
        (config.paths.inbox / f"project-{n}.eml").write_bytes(email)
    [bid] = round_with_bids(config, [8_000])
    with open_context(config) as ctx:
        refs = {s.request_type: s.case_ref for s in ctx.register.submissions()}
        gather_at_meeting(ctx, by="demo", today=BEFORE_DECEMBER)
    assert refs[RequestType.project] in agenda(config, DEMO_MEETING)
    assert bid in agenda(config, ROUND_MEETING)
