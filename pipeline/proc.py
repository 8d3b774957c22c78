"""What Linux says of a process: its /proc/<pid>/stat fields, whether it runs, where it works."""

from __future__ import annotations

import os
import signal
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


def running(pid: int) -> bool:
    """Process ``pid`` exists (a number now another user's means ours has gone)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError, OverflowError):
        return False
    return True


def end_sessions_working_in(folder: Path) -> None:
    """Kill the session of every process whose working folder is in ``folder`` (a
    conversion runs in its own session, in its folder), never this process's own."""
    for pid in _working_in(folder):
        try:
            session = os.getsid(pid)
            if session != os.getsid(0):
                os.killpg(session, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # ended meanwhile
            continue


def _working_in(folder: Path) -> Iterator[int]:
    inside = folder.resolve()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = (entry / "cwd").resolve(strict=True)
        except OSError:  # ended meanwhile, or not ours to see
            continue
        if cwd == inside or inside in cwd.parents:
            yield int(entry.name)
