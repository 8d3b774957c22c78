"""A parsing worker that cannot start is the machine's problem, never the documents': the run
stops and says why, and the mail stays waiting, unrecorded.

The machine here is one whose administrator capped every process's address space (systemd's
``LimitAS=``, ``ulimit -v``) below what the configuration lets a worker map: a worker then
fails as it starts, before it has seen any document.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from pipeline.config import Config
from testkit.reliability.config_file import write_config
from testkit.samples import generate

CAP = 32 * 1024**3  # bytes of address space the administrator allows each process
ASKED_MB = 64 * 1024  # what the configuration lets a worker map beyond its start: more


def capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def test_a_run_whose_workers_cannot_start_stops_and_records_nothing(
    config: Config, tmp_path: Path
) -> None:
    intake = config.intake.model_copy(update={"parse_memory_mb": ASKED_MB})
    config = config.model_copy(update={"intake": intake})
    emails = generate(config.paths.inbox, config, seed=4711, clean=2)
    path = write_config(config, tmp_path / "config.toml")

    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        preexec_fn=capped,
        timeout=600,
    )

    assert run.returncode != 0
    assert "parsing worker could not start" in run.stderr
    assert "parse_memory_mb" in run.stderr
    assert sorted(config.paths.inbox.iterdir()) == sorted(emails)
    assert not (config.paths.outbox / "submissions").exists() or not any(
        (config.paths.outbox / "submissions").iterdir()
    )
