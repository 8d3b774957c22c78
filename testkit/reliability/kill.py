"""Crash consistency: ``pipeline run`` killed with SIGKILL at random moments, then checked.

A few hundred generated emails wait in a drop folder; ``pipeline run`` is started as a
subprocess (its own process group, so its parser worker dies with it) and killed, again and
again, until one run is let finish. Most kills wait for a condition, not a clock: the register
has recorded a random number more emails (so they land mid-run however loaded the machine is);
one in three lands at a random moment of start-up or of the first email. Then
:mod:`.consistency` checks that every email was processed exactly once, the register is
intact, no output is half written and the store holds every raw email; and the outcome is
compared, submission by submission, with one uninterrupted run over the same emails.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.runner import open_context, run_inbox
from testkit.reliability.config_file import with_paths, write_config
from testkit.reliability.consistency import Consistency, check_consistency, outcomes, processed
from testkit.samples import ALL_DEFECTS, generate

FINAL_RUN_SECONDS = 900
POLL_SECONDS = 0.02
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class KillResult:
    emails: int
    kills: int
    runs: int  # every start of `pipeline run`, the killed ones and the final one
    final_exit: int
    progress: tuple[int, ...]  # emails recorded after each kill: the kills landed mid-run
    check: Consistency
    diverged: tuple[str, ...]  # submissions whose outcome differs from an uninterrupted run

    @property
    def lost(self) -> int:
        return self.check.lost

    @property
    def duplicated(self) -> int:
        return self.check.duplicated

    @property
    def half_written(self) -> int:
        return self.check.half_written

    @property
    def integrity(self) -> str:
        return self.check.integrity

    @property
    def mid_processing(self) -> int:
        """Kills that left some emails recorded and some not."""
        return sum(0 < n < self.emails for n in self.progress)

    @property
    def ok(self) -> bool:
        return self.final_exit == 0 and self.check.ok and not self.diverged


def kill_trial(
    config: Config,
    out: Path,
    *,
    emails: int = 300,
    kills: int = 20,
    seed: int = 2025,
    compare: bool = True,
) -> KillResult:
    """Kill ``pipeline run`` ``kills`` times over ``emails`` generated emails, then check."""
    trial = with_paths(config, out / "killed")
    inbox = trial.paths.inbox
    _generate(inbox, trial, emails, seed)
    config_path = write_config(trial, out / "killed" / "config.toml")
    rng = random.Random(seed)
    startup = _timed_start(config_path)
    runs, killed = 0, 0
    progress: list[int] = []
    while killed < kills:
        runs += 1
        done = max(0, progress[-1] if progress else 0)
        if killed % 3 == 2:
            kill = _after(rng.uniform(0.2 * startup, startup + 0.5))
        else:
            # Spread the remaining kills over the remaining emails.
            step = max(1, (emails - done) // (kills - killed + 1))
            kill = _once_recorded(trial, done + rng.randint(1, step))
        ended = _run(config_path, kill)
        if ended is None:
            killed += 1
            progress.append(processed(trial))
        elif ended != 0 or processed(trial) >= emails:
            break  # it fails by itself, or nothing is left to kill it in: the final run says so
    runs += 1
    final = _run(config_path, FINAL_RUN_SECONDS)
    check = check_consistency(trial)
    diverged: tuple[str, ...] = ()
    if compare:
        reference = with_paths(config, out / "reference")
        for path in sorted(inbox.iterdir()):
            shutil.copy2(path, reference.paths.inbox / path.name)
        with open_context(reference) as ctx:
            run_inbox(ctx)
        expected, got = outcomes(reference), outcomes(trial)
        diverged = tuple(
            sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
        )
    return KillResult(
        emails=check.emails,
        kills=killed,
        runs=runs,
        final_exit=-1 if final is None else final,
        progress=tuple(progress),
        check=check,
        diverged=diverged,
    )


def _generate(inbox: Path, config: Config, emails: int, seed: int) -> None:
    """Two clean emails to each with one seeded defect, every defect in turn."""
    defects = [ALL_DEFECTS[n % len(ALL_DEFECTS)] for n in range(emails // 3)]
    generate(inbox, config, seed=seed, clean=emails - len(defects), defects=defects)


def _command(config_path: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", "--config", str(config_path)]


KillWhen = Callable[[], bool]


def _after(seconds: float) -> KillWhen:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


def _once_recorded(config: Config, emails: int) -> KillWhen:
    return lambda: processed(config) >= emails


def _run(config_path: Path, kill_when: KillWhen | float) -> int | None:
    """Start `pipeline run`; its exit code, or None when it was killed because ``kill_when``
    held (a condition polled while it runs, or a number of seconds)."""
    if not callable(kill_when):
        kill_when = _after(kill_when)
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(
        _command(config_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        start_new_session=True,  # its own process group: the kill takes its parser worker too
    )
    while not kill_when():
        try:
            return process.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            continue
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return None


def _timed_start(config_path: Path) -> float:
    """How long `pipeline check-config` takes: about the start-up cost of each run."""
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "pipeline", "check-config", "--config", str(config_path)],
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        check=False,
    )
    return max(0.5, time.monotonic() - started)
