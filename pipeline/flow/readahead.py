"""A backlog's documents spread over the parsing workers: while one email is checked and
recorded, the documents of the next few are already being read.

The emails are still handed over one at a time, oldest first, each once the one before it is
done (recorded, and its source told); only storing them and reading their documents is done
ahead (``early.py`` says when that is safe). The window is a few emails per worker, and no
further email is taken once AHEAD_BYTES of raw mail wait in it (the email in hand counted), so
it holds at most AHEAD_BYTES and one email more: what waits to be consumed (raw bytes, read
documents) stays small however long the backlog. A source's failure to give the
next email is raised only once the emails it gave before are done, as without read-ahead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from pipeline.context import Context
from pipeline.flow.attachments import Early
from pipeline.flow.early import prepare
from pipeline.models import Incoming

EMAILS_PER_WORKER = 2  # ahead of the email in hand: enough to keep each worker busy meanwhile
AHEAD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Waiting:
    incoming: Incoming
    early: Early | None


class ReadAhead:
    """Iterate to get each email of ``pending`` with what was done for it early; used as a
    context manager, the readings of emails left waiting are cancelled when it ends.

    ``hold`` is held while an email is prepared (the service's register lock, which it
    otherwise holds only while it handles an email); a run holding it throughout needs none.
    """

    def __init__(
        self,
        pending: Iterator[Incoming],
        ctx: Context,
        hold: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> None:
        self.ctx = ctx
        self.ahead = EMAILS_PER_WORKER * ctx.parsers.workers
        self._pending = pending
        self._hold = hold
        self._window: deque[Waiting] = deque()
        self._exhausted = False
        self._failure: Exception | None = None

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self._let_go()

    def __iter__(self) -> Iterator[tuple[Incoming, Early | None]]:
        try:
            while self._fill():
                waiting = self._window[0]  # kept till its turn is over, to be let go if it fails
                yield waiting.incoming, waiting.early
                self._window.popleft()
                if waiting.early is not None:
                    waiting.early.cancel()
            if self._failure is not None:
                raise self._failure
        finally:
            self._let_go()

    def _fill(self) -> bool:
        """Take emails from the source until the window is full; whether any is waiting."""
        while not self._exhausted and self._room():
            try:
                incoming = next(self._pending)
            except StopIteration:
                self._exhausted = True
            except Exception as exc:  # raised in its turn: after the emails before it
                self._exhausted, self._failure = True, exc
            else:
                self._window.append(Waiting(incoming, self._prepare(incoming)))
        return bool(self._window)

    def _room(self) -> bool:
        if not self._window:
            return True
        held = sum(len(w.incoming.data) for w in self._window)
        return len(self._window) <= self.ahead and held < AHEAD_BYTES

    def _prepare(self, incoming: Incoming) -> Early | None:
        ahead_of_it = [w.early.message for w in self._window if w.early is not None]
        with self._hold():
            return prepare(incoming, self.ctx, ahead_of_it)

    def _let_go(self) -> None:
        """The emails not handed over (the run stopped): their readings not begun, cancelled."""
        while self._window:
            early = self._window.popleft().early
            if early is not None:
                early.cancel()
