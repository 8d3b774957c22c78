"""What Linux says of a process: its /proc/<pid>/stat fields, its children, whether it runs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def stat_fields(pid: int | str) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (the state is the first), or
    None where the system does not say (no /proc, or the process has gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # the command name (field 2) is in brackets and may hold spaces and ")": count after its end
    return stat[stat.rfind(")") + 2 :].split()


def children(pid: int) -> Iterator[int]:
    """The processes ``pid`` started that are still running."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := stat_fields(entry.name)) and fields[1] == str(pid):
            yield int(entry.name)


def running(pid: int) -> bool:
    """Process ``pid`` exists (a number now another user's means ours has gone)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True
