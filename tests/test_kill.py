"""Crash consistency: `pipeline run` killed with SIGKILL at random moments loses nothing,
duplicates nothing and leaves nothing half written (see testkit/reliability/kill.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config
from testkit.reliability.kill import KillResult, kill_trial


@pytest.fixture(scope="module")
def trial(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> KillResult:
    return kill_trial(shipped_config, tmp_path_factory.mktemp("kill"), emails=150, kills=12, seed=7)


def test_the_kills_happened_and_landed_mid_run(trial: KillResult) -> None:
    assert trial.kills == 12 and trial.runs == 13
    assert any(0 < n < trial.emails for n in trial.progress), trial.progress


def test_the_final_run_completes(trial: KillResult) -> None:
    assert trial.final_exit == 0


def test_every_email_is_processed_exactly_once(trial: KillResult) -> None:
    assert trial.check.processed == trial.emails >= 150
    assert (trial.lost, trial.duplicated) == (0, 0), trial.check.notes


def test_the_register_is_intact_and_no_output_is_half_written(trial: KillResult) -> None:
    assert trial.integrity == "ok"
    assert trial.half_written == 0, trial.check.notes


def test_the_outcome_is_the_same_as_one_uninterrupted_run(trial: KillResult) -> None:
    assert trial.diverged == ()


def test_leftover_temporary_files_are_only_of_interrupted_atomic_writes(
    trial: KillResult,
) -> None:
    assert all(
        Path(p).name.startswith(".") and p.endswith(".tmp") for p in trial.check.leftover_temp
    )
