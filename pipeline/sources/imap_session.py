"""The IMAP source's connection: logged in once and kept between polls, the mail folder
selected with its UIDVALIDITY remembered, folders created when missing, and every failure of
imaplib or the socket turned into one logged line.

A connection found dropped while idle is opened again; one lost mid-command is dropped, so the
next poll connects afresh. The secret is read again at every login (a password or token mended
in its file is used without a restart). Logs carry the server's name, never the secret.
"""

from __future__ import annotations

import imaplib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

import requests

from pipeline.config import ImapServer, Mailbox
from pipeline.credentials import CredentialError, CredentialRefused
from pipeline.errors import SourceError
from pipeline.sources.imap_client import check, connect, one_line, quote

log = logging.getLogger(__name__)

# A dropped connection, a timeout or a TLS failure: the next poll connects again.
LOST = (imaplib.IMAP4.abort, OSError)


class ImapSession:
    def __init__(self, mailbox: Mailbox, *, username: str, secret: str | Callable[[], str]) -> None:
        self.mailbox = mailbox
        self.server: ImapServer = mailbox.imap
        self.username = username
        self._secret = secret
        self._conn: imaplib.IMAP4 | None = None
        self._capabilities: frozenset[str] = frozenset()
        self._folders: set[str] = set()  # folders known to exist on this connection
        self._uidvalidity: int | None = None  # of the selected folder

    def close(self) -> None:
        if self._conn is not None:
            with suppress(*LOST, imaplib.IMAP4.error):
                self._conn.logout()
        self._drop()

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        """Turn imaplib's and the socket's exceptions into one logged line."""
        try:
            yield
        except CredentialError:
            self._drop()
            raise  # the caller reports it: the CLI as its one line, the service in its log
        except LOST as exc:
            self._drop()
            reason = f"the connection to the IMAP server {self.server.host} failed while"
            log.warning("imap: %s %s: %s", reason, action, one_line(exc))
            raise SourceError(f"{reason} {action}: {one_line(exc)}") from None
        except imaplib.IMAP4.error as exc:
            reason = f"the IMAP server {self.server.host} refused {action}: {one_line(exc)}"
            log.warning("imap: %s", reason)
            raise SourceError(reason) from None

    def _connection(self) -> imaplib.IMAP4:
        if self._conn is not None:
            try:
                check(self._conn.noop(), "NOOP")
                return self._conn
            except (*LOST, imaplib.IMAP4.error):
                self._drop()  # dropped while idle between polls: connect again now
        conn = connect(self.server, self.mailbox.timeout_seconds)
        try:
            self._login(conn)
            capabilities = check(conn.capability(), "CAPABILITY")
        except BaseException:
            with suppress(OSError):
                conn.shutdown()
            raise
        self._capabilities = frozenset(b" ".join(capabilities).decode().upper().split())
        self._conn = conn
        log.info("imap: connected to %s:%d", self.server.host, self.server.port)
        return conn

    def _login(self, conn: imaplib.IMAP4) -> None:
        try:
            secret = self._current_secret()
            if self.server.auth == "xoauth2":
                token = f"user={self.username}\x01auth=Bearer {secret}\x01\x01".encode()
                conn.authenticate("XOAUTH2", lambda _challenge: token)
            else:
                conn.login(self.username, secret)
        except imaplib.IMAP4.abort:
            raise
        except imaplib.IMAP4.error:
            raise CredentialRefused(
                f"the IMAP server {self.server.host} refused the login for {self.username}"
            ) from None

    def _current_secret(self) -> str:
        """The password or token; a token from Microsoft sign-in is asked for now."""
        if not callable(self._secret):
            return self._secret
        try:
            return self._secret()
        except requests.RequestException as exc:  # not the IMAP server's fault: say whose
            reason = f"Microsoft sign-in could not be reached for the IMAP mailbox: {one_line(exc)}"
            log.warning("imap: %s", reason)
            raise SourceError(reason) from None

    def _drop(self) -> None:
        if self._conn is not None:
            with suppress(OSError):
                self._conn.shutdown()
        self._conn = None
        self._folders.clear()
        self._uidvalidity = None

    def _select(self, conn: imaplib.IMAP4) -> int:
        """Select the mail folder; its UIDVALIDITY."""
        self._uidvalidity = None
        check(conn.select(quote(self.mailbox.folder)), "SELECT")
        _, values = conn.response("UIDVALIDITY")
        if not values or values[0] is None:
            raise imaplib.IMAP4.error("no UIDVALIDITY after SELECT")
        self._uidvalidity = int(values[0])
        return self._uidvalidity

    def _select_if_needed(self, conn: imaplib.IMAP4) -> int:
        return self._uidvalidity if self._uidvalidity is not None else self._select(conn)

    def _still_valid(self, conn: imaplib.IMAP4, uidvalidity: int, uid: int) -> bool:
        """Select the folder again now: its UIDs still name the same messages only if its
        UIDVALIDITY is the one they were listed under."""
        if self._select(conn) == uidvalidity:
            return True
        log.warning("imap: the folder was reset (UIDVALIDITY changed); UID %d is not moved", uid)
        return False

    def _ensure_folder(self, conn: imaplib.IMAP4, folder: str) -> None:
        if folder in self._folders:
            return
        listed = check(conn.list('""', quote(folder)), "LIST")
        if not any(listed):
            check(conn.create(quote(folder)), f"CREATE {folder}")
            conn.subscribe(quote(folder))  # so mail clients show it; a refusal does not matter
            log.info("imap: created the folder %s", folder)
        self._folders.add(folder)
