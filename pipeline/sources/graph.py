"""An Exchange Online mailbox over Microsoft Graph (msal for the token, httpx for REST).

Each poll runs the folder's delta query from the delta link saved after the last complete poll,
then fetches each new message's MIME (``$value``) once. ``finished`` moves the message to the
processed or quarantine folder. The delta link is saved only when every message of the poll has
been finished, so a poll cut short is read again from where the last one ended: messages
already moved are gone from the folder, the others come back and the register knows them.
Its REST calls, the token and what each HTTP status means are ``graph_http.py``'s.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import httpx
import requests

from pipeline.config import Mailbox
from pipeline.credentials import require
from pipeline.errors import ConfigError, SourceError
from pipeline.intake.message_id import original_message_id
from pipeline.models import Incoming
from pipeline.sources.base import Source
from pipeline.sources.graph_http import GraphHttp, error_code
from pipeline.sources.retry import Backoff, StateStore, Transient, retrying
from pipeline.sources.synced import CursorExpired, SyncedMailbox, Unfetchable

log = logging.getLogger(__name__)
T = TypeVar("T")

SOURCE_NAME = "graph"
PAGE_SIZE = 50
WELL_KNOWN = {"INBOX": "inbox", "DRAFTS": "drafts"}
MISSING = frozenset({404})  # moved or deleted since it was listed
GONE = frozenset({410})  # a delta token expired (syncStateNotFound, resyncRequired)
UNFETCHABLE = frozenset({400, 406, 422})  # this one message cannot be given as MIME


class GraphSource(SyncedMailbox[tuple[str, datetime]], Source):
    name = SOURCE_NAME
    keeps_drafts = True

    def __init__(
        self,
        mailbox: Mailbox,
        state: StateStore,
        *,
        secret: str,
        verify: bool | Path = True,
        backoff: Backoff | None = None,
    ) -> None:
        self.mailbox = mailbox
        self.state = state
        self.state_key = f"graph:{mailbox.address}/{mailbox.folder}"
        self.backoff = backoff or Backoff(budget=mailbox.timeout_seconds)
        self._api = GraphHttp(mailbox, secret=secret, verify=verify)
        self._user = f"{mailbox.graph.base_url.rstrip('/')}/users/{quote(mailbox.address)}"
        self._folders: dict[str, str] = {}
        super().__init__()

    @classmethod
    def from_config(
        cls,
        mailbox: Mailbox,
        state: StateStore,
        *,
        ca_file: Path | None = None,
        backoff: Backoff | None = None,
    ) -> GraphSource:
        """The source for ``[mailbox]``, the secret from the environment; nothing contacted yet."""
        for key, value in (
            ("address", mailbox.address),
            ("graph.tenant_id", mailbox.graph.tenant_id),
            ("graph.client_id", mailbox.graph.client_id),
        ):
            if not value:
                raise ConfigError(f"key 'mailbox.{key}': needed for a Microsoft Graph mailbox")
        secret = require("GRAPH_CLIENT_SECRET", "the Microsoft Graph mailbox")
        verify: bool | Path = ca_file if ca_file is not None else mailbox.graph.verify_tls
        return cls(mailbox, state, secret=secret, verify=verify, backoff=backoff)

    def close(self) -> None:
        self._api.close()

    # --- the Source interface ---------------------------------------------------------

    def save_draft(self, message: bytes) -> None:
        def save() -> None:
            folder = self.mailbox.drafts_folder
            url = (
                f"{self._user}/messages"
                if folder.upper() == "DRAFTS"
                else f"{self._user}/mailFolders/{self._folder(folder)}/messages"
            )
            mime = base64.b64encode(message)
            self._api.request("POST", url, content=mime, headers={"Content-Type": "text/plain"})

        self._call("save a reply draft", save)

    def has_draft(self, message: bytes) -> bool:
        """Whether the drafts folder holds a message with this draft's Message-ID."""
        wanted = original_message_id(message)
        if not wanted:
            return False

        def look() -> bool:
            url = f"{self._user}/mailFolders/{self._folder(self.mailbox.drafts_folder)}/messages"
            quoted = wanted.replace("'", "''")
            params = {"$filter": f"internetMessageId eq '{quoted}'", "$select": "id"}
            return bool(self._api.request("GET", url, params=params).json()["value"])

        return self._call("look for a reply draft", look)

    # --- Graph ------------------------------------------------------------------------

    def withdraw_draft(self, message_id: str) -> bool:
        """Not done here yet: a superseded draft stays in this mailbox's Drafts folder, moved
        aside only in outbox/replies/ (the desk shows which draft is current)."""
        return False

    def _changes(self, cursor: str | None) -> tuple[list[tuple[str, datetime]], str]:
        """The messages new since ``cursor`` (id, received), oldest first, and the new link."""
        url = (
            cursor or f"{self._user}/mailFolders/{self._folder(self.mailbox.folder)}/messages/delta"
        )
        params = None if cursor else {"$select": "receivedDateTime"}
        found: list[tuple[str, datetime]] = []
        while True:
            response = self._api.request("GET", url, params=params, headers=_PAGE, accept=GONE)
            if response.status_code == 410:  # syncStateNotFound, resyncRequired: tokens expire
                raise CursorExpired(error_code(response))
            page = response.json()
            found += [
                (m["id"], _when(m.get("receivedDateTime")))
                for m in page["value"]
                if "@removed" not in m
            ]
            if "@odata.nextLink" not in page:
                return sorted(found, key=lambda pair: pair[1]), page["@odata.deltaLink"]
            url, params = page["@odata.nextLink"], None

    def _fetch(self, ref: tuple[str, datetime]) -> Incoming | None:
        message_id, received = ref
        url = f"{self._user}/messages/{quote(message_id, safe='')}/$value"
        response = self._api.request("GET", url, accept=MISSING | UNFETCHABLE)
        if response.status_code == 404:
            return None  # moved or deleted since the delta query
        if response.is_error:
            raise Unfetchable(f"HTTP {response.status_code} {error_code(response)}")
        return Incoming(
            source=self.name,
            ref=message_id,
            filename=f"graph-{hashlib.sha256(message_id.encode()).hexdigest()[:12]}.eml",
            data=response.content,
            arrived_at=received,
        )

    def _unfetched(self, ref: tuple[str, datetime], reason: str) -> Incoming:
        message_id, received = ref
        return Incoming(
            source=self.name,
            ref=message_id,
            filename=f"graph-{hashlib.sha256(message_id.encode()).hexdigest()[:12]}.eml",
            data=b"",
            arrived_at=received,
            fetch_error=f"Microsoft Graph could not give the message ({reason})",
        )

    def _forget(self) -> None:
        self._folders.clear()

    def _move(self, message_id: str, target_name: str) -> None:
        url = f"{self._user}/messages/{quote(message_id, safe='')}/move"
        body = {"destinationId": self._folder(target_name)}
        if self._api.request("POST", url, json=body, accept=MISSING).status_code == 404:
            log.info("Graph: a finished message had already left the folder")

    def _folder(self, path: str) -> str:
        """The id of a folder: INBOX and Drafts by their well-known names, other names as paths
        under the mailbox root, created when missing."""
        if path.upper() in WELL_KNOWN:
            return WELL_KNOWN[path.upper()]
        if path not in self._folders:
            parent = "msgfolderroot"
            for part in path.strip("/").split("/"):
                parent = self._child_folder(parent, part)
            self._folders[path] = parent
        return self._folders[path]

    def _child_folder(self, parent: str, name: str) -> str:
        url = f"{self._user}/mailFolders/{parent}/childFolders"
        quoted = name.replace("'", "''")
        params = {"$filter": f"displayName eq '{quoted}'", "$select": "id,displayName"}
        found = self._api.request("GET", url, params=params).json()["value"]
        if found:
            return str(found[0]["id"])
        log.info("Graph: creating a mail folder for the pipeline")
        return str(self._api.request("POST", url, json={"displayName": name}).json()["id"])

    # --- failures ---------------------------------------------------------------------

    def _call(self, what: str, action: Callable[[], T]) -> T:
        def attempt() -> T:
            try:
                return action()
            except (httpx.TransportError, requests.ConnectionError) as exc:
                if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                    raise SourceError(f"Graph: the certificate is not trusted: {exc}") from None
                raise Transient(f"{type(exc).__name__}: {exc}") from exc

        return retrying(f"{what} (Graph)", attempt, self.backoff)


_PAGE = {"Prefer": f"odata.maxpagesize={PAGE_SIZE}"}


def _when(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
