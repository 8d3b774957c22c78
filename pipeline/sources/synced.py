"""What the two cursor-synced mailboxes (EWS, Graph) share: walking the changes since the saved
cursor, and saving the new cursor only once every message of the walk has been moved away.

A message fetched but not moved (the run stopped, or the move failed) keeps the old cursor, so
the next poll lists it again; the register recognises it by its bytes and only moves it.

The saved cursor is the only one ever used: after a failed poll the connection and the folders
cached with it are dropped, so no state held in memory can skip messages. A cursor the server
no longer knows (Graph's delta tokens expire; EWS answers ErrorInvalidSyncStateData) starts a
full resync: every message in the folder is listed again, and the ones processed before are
recognised by their bytes and moved, not processed again. A message the server cannot give
(EWS ErrorMimeContentConversionFailed) is handed over as unfetched, for the runner to count
and, after repeats, quarantine; the messages after it are fetched as usual.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Generic, TypeVar

from pipeline.config import Mailbox
from pipeline.models import Incoming
from pipeline.sources.retry import StateStore

log = logging.getLogger(__name__)
T = TypeVar("T")
Ref = TypeVar("Ref")  # what the change listing gives for each message


class CursorExpired(Exception):
    """The server no longer knows the saved cursor: the folder must be read from the start."""


class Unfetchable(Exception):
    """The server refuses to give this one message (its ``reason`` names why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SyncedMailbox(ABC, Generic[Ref]):
    mailbox: Mailbox
    state: StateStore
    state_key: str

    def __init__(self) -> None:
        self._unfinished: set[str] = set()
        self._cursor_after: str | None = None  # to save once the walk's messages are moved

    def pending(self) -> Iterator[Incoming]:
        try:
            yield from self._walk()
        except Exception:
            self._forget()
            raise

    def finished(self, incoming: Incoming, *, quarantined: bool) -> None:
        target = self.mailbox.quarantine_folder if quarantined else self.mailbox.processed_folder
        try:
            self._call("move a message", lambda: self._move(incoming.ref, target))
        except Exception:
            self._forget()
            raise
        self._unfinished.discard(incoming.ref)
        self._save_cursor_when_done()

    def _walk(self) -> Iterator[Incoming]:
        cursor = self.state.source_state(self.state_key) or None
        refs, new_cursor = self._call("read the mailbox folder", partial(self._listing, cursor))
        self._unfinished, self._cursor_after = set(), None
        for ref in refs:
            try:
                incoming = self._call("fetch a message", partial(self._fetch, ref))
            except Unfetchable as exc:
                log.warning("%s: a message could not be fetched: %s", self.state_key, exc.reason)
                incoming = self._unfetched(ref, exc.reason)
            if incoming is not None:
                self._unfinished.add(incoming.ref)
                yield incoming
        if new_cursor != cursor:
            self._cursor_after = new_cursor
            self._save_cursor_when_done()

    def _save_cursor_when_done(self) -> None:
        """The walk's cursor saved once the walk has ended and its last message is moved: a
        runner reading ahead ends the walk before the messages it took are finished."""
        if self._cursor_after is not None and not self._unfinished:
            self.state.save_source_state(self.state_key, self._cursor_after)
            self._cursor_after = None

    def _listing(self, cursor: str | None) -> tuple[Sequence[Ref], str]:
        try:
            return self._changes(cursor)
        except CursorExpired:
            if cursor is None:
                raise
            log.warning(
                "%s: the saved sync state has expired; reading the folder again", self.state_key
            )
            self._forget()
            return self._changes(None)

    @abstractmethod
    def _changes(self, cursor: str | None) -> tuple[Sequence[Ref], str]:
        """The messages new in the folder since ``cursor``, and the cursor after them; raises
        CursorExpired when the server no longer knows ``cursor``."""

    @abstractmethod
    def _fetch(self, ref: Ref) -> Incoming | None:
        """The message's raw bytes, or None when it has gone since the listing; raises
        Unfetchable when the server will not give this message."""

    @abstractmethod
    def _unfetched(self, ref: Ref, reason: str) -> Incoming:
        """The message as unfetched: no bytes, ``fetch_error`` set."""

    @abstractmethod
    def _move(self, message_ref: str, target_name: str) -> None: ...

    @abstractmethod
    def _forget(self) -> None:
        """Drop the connection and every folder and state cached with it."""

    @abstractmethod
    def _call(self, what: str, action: Callable[[], T]) -> T:
        """``action`` with this protocol's retries and error wording."""
