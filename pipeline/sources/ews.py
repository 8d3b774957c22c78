"""An Exchange mailbox over EWS (exchangelib): Exchange on premises, or an allow-listed tenant.

Each poll syncs the folder (SyncFolderItems, ids only) from the state saved after the last
complete poll, then fetches each new message's MIME once. ``finished`` moves the message to the
processed or quarantine folder. The sync state is saved only when every message of the poll
has been finished, so a poll cut short is read again from where the last one ended: messages
already moved are gone from the folder, the others come back and the register knows them.
How it signs in is ``ews_signin.py``'s, what a failure means ``ews_failures.py``'s; the walk
over changes, which it shares with Graph, is ``synced.py``'s.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import TypeVar

from exchangelib import DELEGATE, IMPERSONATION, OAUTH2, Account, Configuration, Folder, Message
from exchangelib.errors import ErrorFolderNotFound, ErrorInvalidSyncStateData, ErrorItemNotFound
from exchangelib.properties import ItemId
from exchangelib.protocol import Protocol

from pipeline.config import Mailbox
from pipeline.errors import ConfigError, SourceError
from pipeline.intake.message_id import original_message_id
from pipeline.models import Incoming
from pipeline.sources.base import Source
from pipeline.sources.ews_failures import BUSY, FAILURES, ews_failure
from pipeline.sources.ews_signin import MICROSOFT_LOGIN, ews_configuration
from pipeline.sources.retry import Backoff, StateStore, Transient, retrying
from pipeline.sources.synced import CursorExpired, SyncedMailbox, Unfetchable

log = logging.getLogger(__name__)
T = TypeVar("T")

SOURCE_NAME = "ews"


class EwsSource(SyncedMailbox[str], Source):
    name = SOURCE_NAME
    keeps_drafts = True

    def __init__(
        self, mailbox: Mailbox, state: StateStore, config: Configuration, backoff: Backoff
    ) -> None:
        self.mailbox = mailbox
        self.state = state
        self.state_key = f"ews:{mailbox.address}/{mailbox.folder}"
        self.backoff = backoff
        self._config = config
        self._account: Account | None = None
        self._folders: dict[str, Folder] = {}
        super().__init__()

    @classmethod
    def from_config(
        cls,
        mailbox: Mailbox,
        state: StateStore,
        *,
        authority: str = MICROSOFT_LOGIN,
        backoff: Backoff | None = None,
    ) -> EwsSource:
        """The source for ``[mailbox]``, secrets from the environment; no server contacted yet."""
        if not mailbox.address:
            raise ConfigError("key 'mailbox.address': an EWS mailbox needs its address")
        config = ews_configuration(mailbox, authority)
        return cls(mailbox, state, config, backoff or Backoff(budget=mailbox.timeout_seconds))

    def close(self) -> None:
        """Close the connections; the next poll opens new ones."""
        self._disconnect()

    # --- the Source interface ---------------------------------------------------------

    def save_draft(self, message: bytes) -> None:
        def save() -> None:
            drafts = self._folder(self.mailbox.drafts_folder)
            Message(account=self._connect(), folder=drafts, mime_content=message).save()

        self._call("save a reply draft", save)

    def has_draft(self, message: bytes) -> bool:
        """Whether the drafts folder holds a message with this draft's Message-ID (the folder
        is read, ids only: it holds the admin's drafts, not the whole mailbox)."""
        wanted = original_message_id(message)

        def look() -> bool:
            drafts = self._folder(self.mailbox.drafts_folder)
            return any(item.message_id == wanted for item in drafts.all().only("message_id"))

        return bool(wanted) and self._call("look for a reply draft", look)

    # --- EWS --------------------------------------------------------------------------

    def withdraw_draft(self, message_id: str) -> bool:
        """Not done here yet: a superseded draft stays in this mailbox's Drafts folder, moved
        aside only in outbox/replies/ (the desk shows which draft is current)."""
        return False

    def _connect(self) -> Account:
        if self._account is None:
            access = IMPERSONATION if self._config.auth_type == OAUTH2 else DELEGATE
            self._account = Account(
                self.mailbox.address,
                access_type=access,
                autodiscover=not self.mailbox.ews.server_url,
                config=self._config,
            )
        return self._account

    def _disconnect(self) -> None:
        """Start afresh after a failure: exchangelib's session pool can lose a session when a
        reconnection fails, and would then wait for it for ever."""
        if self._account is not None:
            protocol = self._account.protocol
            protocol.close()
            with suppress(KeyError):
                del Protocol[protocol.config]
        self._account = None
        self._folders.clear()

    def _changes(self, cursor: str | None) -> tuple[list[str], str]:
        """The ids of the messages new since ``cursor``, oldest first, and the new cursor."""
        folder = self._folder(self.mailbox.folder, create=False)
        # exchangelib falls back to the state the folder object last saw when given None;
        # only the state saved in the register may decide what is new.
        folder.item_sync_state = cursor
        created: list[tuple[datetime, str]] = []
        changes = folder.sync_items(sync_state=cursor, only_fields=["datetime_received"])
        try:
            for change, item in changes:
                if change == "create" and isinstance(item, Message):
                    created.append((item.datetime_received or datetime.now(UTC), item.id))
        except ErrorInvalidSyncStateData:
            raise CursorExpired from None
        return [item_id for _, item_id in sorted(created)], folder.item_sync_state or ""

    def _fetch(self, item_id: str) -> Incoming | None:
        account = self._connect()
        fields = ["mime_content", "datetime_received"]
        [item] = list(account.fetch(ids=[ItemId(id=item_id)], only_fields=fields))
        if isinstance(item, ErrorItemNotFound):
            return None  # moved or deleted by someone since the sync
        if isinstance(item, BUSY):
            raise item
        if isinstance(item, Exception):  # this message only, e.g. ErrorMimeContentConversionFailed
            raise Unfetchable(type(item).__name__)
        received = item.datetime_received
        return Incoming(
            source=self.name,
            ref=item_id,
            filename=f"ews-{hashlib.sha256(item_id.encode()).hexdigest()[:12]}.eml",
            data=bytes(item.mime_content or b""),
            arrived_at=datetime.fromtimestamp(received.timestamp(), UTC) if received else _now(),
        )

    def _unfetched(self, item_id: str, reason: str) -> Incoming:
        return Incoming(
            source=self.name,
            ref=item_id,
            filename=f"ews-{hashlib.sha256(item_id.encode()).hexdigest()[:12]}.eml",
            data=b"",
            arrived_at=_now(),
            fetch_error=f"Exchange could not give the message ({reason})",
        )

    def _forget(self) -> None:
        self._disconnect()

    def _move(self, item_id: str, target_name: str) -> None:
        target = self._folder(target_name)
        [result] = self._connect().bulk_move(ids=[ItemId(id=item_id)], to_folder=target)
        if isinstance(result, ErrorItemNotFound):
            log.info("EWS: a finished message had already left the folder")
        elif isinstance(result, Exception):
            raise result

    def _folder(self, name: str, *, create: bool = True) -> Folder:
        """INBOX and Drafts are the account's own; other names are paths under the mailbox root,
        created when missing if ``create``."""
        if name not in self._folders:
            account = self._connect()
            if name.upper() == "INBOX":
                self._folders[name] = account.inbox
            elif name == "Drafts":
                self._folders[name] = account.drafts
            else:
                self._folders[name] = _path(account.msg_folder_root, name, create=create)
        return self._folders[name]

    def _call(self, what: str, action: Callable[[], T]) -> T:
        def attempt() -> T:
            try:
                return action()
            except FAILURES as exc:
                failure = ews_failure(what, exc, self.mailbox.address)
                if isinstance(failure, Transient):
                    self._disconnect()  # the next attempt starts afresh
                raise failure from exc

        return retrying(f"{what} (EWS)", attempt, self.backoff)


def _path(root: Folder, path: str, *, create: bool) -> Folder:
    folder = root
    for part in path.strip("/").split("/"):
        try:
            folder = folder / part
        except ErrorFolderNotFound:
            if not create:
                raise SourceError(f"EWS: the mailbox has no folder '{path}'") from None
            folder = Folder(parent=folder, name=part).save()
            log.info("EWS: created the folder '%s'", path)
    return folder


def _now() -> datetime:
    return datetime.now(UTC)
