"""What the mailbox sources share: trying a call again, within a time budget, while the server
is busy, restarting or dropping connections; and the store that keeps how far each has read.

A call that still fails when the budget is spent raises SourceError: this poll stops, and the
next one starts again from the last state saved, so nothing is lost.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from pipeline.errors import SourceError

log = logging.getLogger(__name__)
T = TypeVar("T")


class StateStore(Protocol):
    """Where a source keeps its sync state (the register, or anything with these two methods)."""

    def source_state(self, source: str) -> str | None: ...

    def save_source_state(self, source: str, state: str) -> None: ...


class Transient(Exception):
    """A refusal that may pass; ``after`` is the wait in seconds the server asked for, if any."""

    def __init__(self, reason: str, after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.after = after


@dataclass(frozen=True)
class Backoff:
    """Waits double from ``first`` up to ``longest``; the whole call gives up after ``budget``."""

    budget: float = 300.0
    first: float = 1.0
    longest: float = 60.0


def retrying(
    what: str,
    attempt: Callable[[], T],
    backoff: Backoff,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``attempt()``, tried again after each Transient until the budget would be overrun.

    A wait the server asks for is honoured as asked; when it would end after the budget, the
    call gives up at once rather than sleep in vain.
    """
    give_up = clock() + backoff.budget
    wait = backoff.first
    while True:
        try:
            return attempt()
        except Transient as exc:
            delay = exc.after if exc.after is not None else wait
            if clock() + delay > give_up:
                raise SourceError(
                    f"could not {what}: {exc.reason} (gave up after trying for "
                    f"{backoff.budget:g} s; the next poll tries again)"
                ) from None
            log.warning("could not %s: %s; trying again in %.1f s", what, exc.reason, delay)
            sleep(delay)
            wait = min(wait * 2, backoff.longest)


def retry_after(value: str | None) -> float | None:
    """The seconds of a Retry-After header (the HTTP-date form is not used by Microsoft)."""
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds >= 0 else None
