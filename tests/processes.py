"""Processes a test started, seen from outside: what is still running, waited on by condition."""

from __future__ import annotations

import time
from collections.abc import Callable
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
