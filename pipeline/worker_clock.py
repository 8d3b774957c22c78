"""How long a parsing worker has spent on a document: the CPU time its own process used.

A document's time limit is counted in the worker's CPU seconds, not in seconds by the clock:
on a busy machine (two scans read side by side, a bundle being built, another service) a
reading waits its turn for a core, and a form that takes 20 s of work must not fail at 60 s
by the clock on one day and pass on the next. The clock still bounds a reading that waits on
something without working, at ``WALL_TIMES`` the limit.
"""

from __future__ import annotations

import os

from pipeline.proc import stat_fields

WALL_TIMES = 4  # a reading ends by the clock at this many times its CPU limit
POLL_SECONDS = 1.0  # once past the limit by the clock, its CPU time is looked at this often
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """The user and system CPU time of process ``pid`` (all its threads), or None where the
    system does not say (no /proc, or the process has gone)."""
    fields = stat_fields(pid)
    if fields is None:
        return None
    try:
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (IndexError, ValueError):
        return None
