"""Processes a test started, seen from outside: what is still running, waited on by condition."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path


def session_members(session: int) -> dict[int, int]:
    """pid -> parent pid of every process in ``session``."""
    members = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == session:
            members[int(entry.name)] = int(fields[1])
    return members


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def started_run(config_file: Path, **env: str) -> subprocess.Popen[bytes]:
    """`pipeline run` on ``config_file``, quiet, in a session of its own (its pid is the
    session's number), with ``env`` added to this process's environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--config", str(config_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, **env},
    )


def kill_all(pids: Iterable[int]) -> None:
    """Whatever a failed test left running."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
