"""What the two cursor-synced mailboxes (EWS, Graph) share: walking the changes since the saved
cursor, and saving the new cursor only once every message of the walk has been moved away.

A message fetched but not moved (the run stopped, or the move failed) keeps the old cursor, so
the next poll lists it again; the register recognises it by its bytes and only moves it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Generic, TypeVar

from pipeline.config import Mailbox
from pipeline.models import Incoming
from pipeline.sources.retry import StateStore

T = TypeVar("T")
Ref = TypeVar("Ref")  # what the change listing gives for each message


class SyncedMailbox(ABC, Generic[Ref]):
    mailbox: Mailbox
    state: StateStore
    state_key: str

    def __init__(self) -> None:
        self._unfinished: set[str] = set()

    def pending(self) -> Iterator[Incoming]:
        cursor = self.state.source_state(self.state_key)
        refs, new_cursor = self._call("read the mailbox folder", lambda: self._changes(cursor))
        self._unfinished = set()
        for ref in refs:
            incoming = self._call("fetch a message", partial(self._fetch, ref))
            if incoming is not None:
                self._unfinished.add(incoming.ref)
                yield incoming
        if not self._unfinished and new_cursor != cursor:
            self.state.save_source_state(self.state_key, new_cursor)

    def finished(self, incoming: Incoming, *, quarantined: bool) -> None:
        target = self.mailbox.quarantine_folder if quarantined else self.mailbox.processed_folder
        self._call("move a message", lambda: self._move(incoming.ref, target))
        self._unfinished.discard(incoming.ref)

    @abstractmethod
    def _changes(self, cursor: str | None) -> tuple[Sequence[Ref], str]:
        """The messages new in the folder since ``cursor``, and the cursor after them."""

    @abstractmethod
    def _fetch(self, ref: Ref) -> Incoming | None:
        """The message's raw bytes, or None when it has gone since the listing."""

    @abstractmethod
    def _move(self, message_ref: str, target_name: str) -> None: ...

    @abstractmethod
    def _call(self, what: str, action: Callable[[], T]) -> T:
        """``action`` with this protocol's retries and error wording."""
