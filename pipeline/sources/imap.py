r"""An IMAP mailbox as a source (stdlib imaplib): the folder is the queue.

Each poll lists the messages in the folder and fetches them one at a time; once a message's
results are on disk it is moved to the processed or quarantine folder. A message whose move
failed is still in the folder, so the next poll hands it over again and the runner, which
recognises its bytes, only retries the move. The UIDs moved are kept in the register with the
folder's UIDVALIDITY; when UIDVALIDITY changes the folder is read from the beginning again.

The folder is selected again right before every move, and nothing is moved when its
UIDVALIDITY has changed: a folder recreated during the poll reuses UIDs for other mail.
Without MOVE, a copy is recorded before COPY; a copy begun before (the run was killed between
COPY and EXPUNGE) is looked for in the target folder by its bytes, not made twice, and the
original, even flagged \Deleted, is expunged by its UID alone (UIDPLUS). A message the server
lists but answers FETCH for without a body (Exchange does, for mail it cannot convert) is
handed over as unfetched, for the runner to count and, after repeats, quarantine.
Logs carry UIDs and hashes, never subjects or addresses. The connection it keeps between
polls is ``imap_session.py``'s; the reply drafts it saves, ``imap_drafts.py``'s.
"""

from __future__ import annotations

import hashlib
import imaplib
import logging
from collections.abc import Callable, Iterator
from functools import partial

from pipeline.config import Mailbox
from pipeline.credentials import require
from pipeline.errors import ConfigError, SourceError
from pipeline.models import Incoming
from pipeline.sources.imap_client import check, internaldate, parse_uids, quote
from pipeline.sources.imap_drafts import ImapDrafts
from pipeline.sources.imap_progress import ImapProgress
from pipeline.sources.retry import StateStore
from pipeline.sources.signin import ClientCredentials

log = logging.getLogger(__name__)

SOURCE_NAME = "imap"
EXCHANGE_SCOPE = "https://outlook.office365.com/.default"


class ImapSource(ImapDrafts):
    name = SOURCE_NAME
    keeps_drafts = True

    def __init__(
        self,
        mailbox: Mailbox,
        state: StateStore,
        *,
        username: str,
        secret: str | Callable[[], str],
    ) -> None:
        super().__init__(mailbox, username=username, secret=secret)
        self.state = state
        self.progress = ImapProgress(state, f"imap:{username}@{self.server.host}/{mailbox.folder}")

    @classmethod
    def from_config(cls, mailbox: Mailbox, state: StateStore) -> ImapSource:
        """The source with its credentials from CLUSTER_IMAP_* environment variables."""
        if not mailbox.imap.host:
            raise ConfigError("mailbox.imap.host is empty: name the IMAP server in config.toml")
        username = require("IMAP_USERNAME", "the IMAP mailbox")
        if mailbox.imap.auth == "xoauth2" and mailbox.imap.tenant_id and mailbox.imap.client_id:
            return cls(mailbox, state, username=username, secret=_app_tokens(mailbox).token)
        if mailbox.imap.auth == "xoauth2":
            # Read again at every login: access tokens expire within hours, and whatever
            # renews them (CLUSTER_IMAP_OAUTH_TOKEN_FILE) writes the new one to the file.
            token = partial(require, "IMAP_OAUTH_TOKEN", "the IMAP mailbox (auth = xoauth2)")
            token()  # missing now: say so now, not at the first poll
            return cls(mailbox, state, username=username, secret=token)
        # Read again at every login too: a password mended in its file is used without a restart.
        password = partial(require, "IMAP_PASSWORD", "the IMAP mailbox (auth = login)")
        password()
        return cls(mailbox, state, username=username, secret=password)

    # --- the Source interface ----------------------------------------------------------

    def pending(self) -> Iterator[Incoming]:
        """Every message in the folder not yet moved, oldest UID first, fetched one at a time."""
        with self._guard("listing the folder"):
            conn = self._connection()
            uidvalidity = self._select(conn)
            uids = parse_uids(check(conn.uid("SEARCH", "UNDELETED"), "SEARCH"))
            deleted: set[int] = set()
            if self.progress.copies_begun():
                deleted = set(parse_uids(check(conn.uid("SEARCH", "DELETED"), "SEARCH")))
            waiting = self.progress.waiting(uidvalidity, uids, deleted)
        log.info("imap: %d message(s) waiting (UIDVALIDITY %d)", len(waiting), uidvalidity)
        for uid in waiting:
            try:
                with self._guard(f"fetching UID {uid}"):
                    if self._select_if_needed(self._connection()) != uidvalidity:
                        log.warning("imap: the folder was reset during the poll; read next poll")
                        return
                    incoming = self._fetch(uidvalidity, uid)
            except SourceError:
                if self._reset_since(uidvalidity):
                    return
                raise
            if incoming is not None:
                yield incoming

    def _reset_since(self, uidvalidity: int) -> bool:
        """Whether a failed FETCH met a folder deleted and made again since it was listed (a
        runner reading ahead fetches the next messages before it selects the folder again)."""
        with self._guard("selecting the folder again"):
            if self._select(self._connection()) == uidvalidity:
                return False
        log.warning("imap: the folder was reset during the poll; it is read next poll")
        return True

    def finished(self, incoming: Incoming, *, quarantined: bool) -> None:
        """Move the message; a refused move is logged and retried on the next poll."""
        uidvalidity, uid = _parse_ref(incoming.ref)
        target = self.mailbox.quarantine_folder if quarantined else self.mailbox.processed_folder
        try:
            with self._guard(f"moving UID {uid}"):
                conn = self._connection()
                if not self._still_valid(conn, uidvalidity, uid):
                    return
                if not self._move(conn, uidvalidity, uid, target, incoming.data):
                    return
        except SourceError:
            if self._conn is None:
                raise  # the connection is gone: this poll stops, the next one retries
            return
        self.progress.done(uidvalidity, uid)
        log.info(
            "imap: UID %d moved to the %s folder", uid, "quarantine" if quarantined else "processed"
        )

    # --- messages ----------------------------------------------------------------------

    def _fetch(self, uidvalidity: int, uid: int) -> Incoming | None:
        conn = self._connection()
        if self._select_if_needed(conn) != uidvalidity:
            raise imaplib.IMAP4.error("the folder was reset (UIDVALIDITY changed)")
        data = check(conn.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])"), "FETCH")
        meta, raw = b"", None
        for part in data:
            if isinstance(part, tuple):
                meta, raw = meta + part[0], part[1]
            elif isinstance(part, bytes):
                meta += part
        if raw is None:
            return self._no_body(conn, uidvalidity, uid, meta)
        log.info("imap: fetched UID %d (%s)", uid, hashlib.sha256(raw).hexdigest()[:12])
        return Incoming(
            source=self.name,
            ref=f"{uidvalidity}:{uid}",
            filename=f"imap-{uid}.eml",
            data=raw,
            arrived_at=internaldate(meta),
        )

    def _no_body(
        self, conn: imaplib.IMAP4, uidvalidity: int, uid: int, meta: bytes
    ) -> Incoming | None:
        """A FETCH answered without a body: None if the message has gone since the listing,
        else the message handed over as unfetched (the runner counts it)."""
        still = parse_uids(check(conn.uid("SEARCH", "UID", str(uid)), "SEARCH"))
        if uid not in still:
            return None
        log.warning("imap: the server answered FETCH for UID %d without a body", uid)
        return Incoming(
            source=self.name,
            ref=f"{uidvalidity}:{uid}",
            filename=f"imap-{uid}.eml",
            data=b"",
            arrived_at=internaldate(meta),
            fetch_error="the IMAP server answered FETCH without the message",
        )

    def _move(
        self, conn: imaplib.IMAP4, uidvalidity: int, uid: int, folder: str, data: bytes
    ) -> bool:
        """Move UID to ``folder``; False if the mail folder was reset meanwhile."""
        self._ensure_folder(conn, folder)
        if "MOVE" in self._capabilities:
            check(conn.uid("MOVE", str(uid), quote(folder)), "MOVE")
            return True
        copied = False
        if self.progress.begin_copy(uidvalidity, uid, folder) and data:
            copied = self._copied_already(conn, folder, data)
            if not self._still_valid(conn, uidvalidity, uid):
                return False
        if not copied:
            check(conn.uid("COPY", str(uid), quote(folder)), "COPY")
        check(conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        if "UIDPLUS" in self._capabilities:
            check(conn.uid("EXPUNGE", str(uid)), "UID EXPUNGE")
        else:  # also removes other messages flagged \Deleted in this folder: IMAP has no finer way
            check(conn.expunge(), "EXPUNGE")
        return True

    def _copied_already(self, conn: imaplib.IMAP4, folder: str, data: bytes) -> bool:
        """Whether ``folder`` holds a message with exactly these bytes (looked at by size
        first); leaves ``folder`` examined, so the caller selects the mail folder again."""
        self._uidvalidity = None
        check(conn.select(quote(folder), readonly=True), "EXAMINE")
        size = len(data)
        same_size = check(
            conn.uid("SEARCH", "LARGER", str(size - 1), "SMALLER", str(size + 1)), "SEARCH"
        )
        digest = hashlib.sha256(data).digest()
        for uid in parse_uids(same_size):
            fetched = check(conn.uid("FETCH", str(uid), "(BODY.PEEK[])"), "FETCH")
            bodies = [part[1] for part in fetched if isinstance(part, tuple)]
            if any(hashlib.sha256(body).digest() == digest for body in bodies):
                log.info("imap: a copy begun before is in the %s folder already", folder)
                return True
        return False


def _parse_ref(ref: str) -> tuple[int, int]:
    uidvalidity, _, uid = ref.partition(":")
    return int(uidvalidity), int(uid)


def _app_tokens(mailbox: Mailbox) -> ClientCredentials:
    """Exchange Online's IMAP tokens for the app registration (IMAP.AccessAsApp)."""
    server = mailbox.imap
    return ClientCredentials(
        authority=server.authority,
        tenant_id=server.tenant_id,
        client_id=server.client_id,
        secret=require("IMAP_CLIENT_SECRET", "the IMAP mailbox (auth = xoauth2, client_id set)"),
        scope=EXCHANGE_SCOPE,
        verify=server.verify_tls,
        timeout=mailbox.timeout_seconds,
        what="IMAP client credentials",
    )
