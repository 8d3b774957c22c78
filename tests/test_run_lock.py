"""Failure 10 of issue 15: two runs at once on one register.

Two ``pipeline run`` started together on the same inbox processed every email twice. Now one
run holds the register; a second one says who holds it (pid, host, command, since when) and
waits for it, then finds nothing left to do.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from pipeline.config import Config
from pipeline.register import Register
from pipeline.run_lock import RunLock
from testkit.reliability.config_file import write_config
from testkit.samples import generate

PIPELINE = [sys.executable, "-m", "pipeline"]


def _cli(config_file: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*PIPELINE, *args, "--config", str(config_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )


def _processed(stdout: str) -> int:
    found = re.search(r"Processed (\d+) message", stdout)
    return int(found.group(1)) if found else 0


def test_two_pipeline_runs_at_once_process_each_email_once(config: Config, tmp_path: Path) -> None:
    emails = generate(config.paths.inbox, config, seed=61, clean=12)
    config_file = write_config(config, tmp_path / "config.toml")
    runs = [_cli(config_file, "run") for _ in range(2)]
    results = [(run.wait(timeout=600), *run.communicate()) for run in runs]
    assert sum(_processed(stdout) for _, stdout, _ in results) == len(emails)
    assert [code for code, _, _ in results] == [0, 0]
    with Register(config.paths.register_db) as register:
        assert register.counts()["messages"] == len(emails)


def test_a_second_run_says_who_holds_the_register_and_waits_for_it(
    config: Config, tmp_path: Path
) -> None:
    generate(config.paths.inbox, config, seed=62, clean=1)
    config_file = write_config(config, tmp_path / "config.toml")
    lock = RunLock(config.paths.register_db, "pipeline meeting bundle 2025-12-11")
    lock.acquire(wait=False)
    try:
        run = _cli(config_file, "run")
        assert run.stderr is not None
        line = run.stderr.readline()  # the run is blocked until the lock is released
        assert not (config.paths.outbox / "submissions").exists()
    finally:
        lock.release()
    stdout, _ = run.communicate(timeout=300)
    assert "waiting: another run holds the register" in line
    assert f"pid {os.getpid()} on {socket.gethostname()}" in line
    assert "'pipeline meeting bundle 2025-12-11', since 20" in line
    assert run.returncode == 0 and _processed(stdout) == 1


def test_the_register_is_free_again_once_its_holder_has_exited(
    config: Config, tmp_path: Path
) -> None:
    generate(config.paths.inbox, config, seed=63, clean=1)
    config_file = write_config(config, tmp_path / "config.toml")
    holder = subprocess.run(
        [sys.executable, "-c", _HOLD_AND_DIE, str(config.paths.register_db)], check=False
    )
    assert holder.returncode == -9  # killed while holding it
    run = _cli(config_file, "run")
    stdout, _ = run.communicate(timeout=300)
    assert run.returncode == 0 and _processed(stdout) == 1


_HOLD_AND_DIE = """
import os, signal, sys
from pathlib import Path
from pipeline.run_lock import RunLock
RunLock(Path(sys.argv[1]), "pipeline run").acquire(wait=False)
os.kill(os.getpid(), signal.SIGKILL)
"""
