"""One user of the throwaway Dovecot, as a test or trial sees it: an IMAP client logged in
as the user, the mail and flags of a folder, and the configuration and environment that point
the pipeline at this mailbox.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import imaplib
import os
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path

from pipeline.config import Config, ImapServer, MailboxKind

PASSWORD = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Account:
    """One IMAP user on the test server, with helpers to look at its folders as a client."""

    host: str
    port: int
    tls_port: int
    username: str
    password: str
    cert: Path

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        conn.login(self.username, self.password)
        return conn

    def append(
        self,
        data: bytes,
        folder: str = "INBOX",
        flags: str = "",
        received: dt.datetime | None = None,
    ) -> None:
        """Deliver ``data``; the server records it as received at ``received`` (INTERNALDATE),
        by default when its Date header says it was sent, as prompt delivery does."""
        when = received or _date_header(data)
        conn = self.client()
        try:
            internal = imaplib.Time2Internaldate(when) if when else None
            typ, _ = conn.append(f'"{folder}"', flags or None, internal, data)
            assert typ == "OK"
        finally:
            conn.logout()

    def messages(self, folder: str) -> list[bytes]:
        """The raw messages in a folder (not deleted), oldest first; [] if it does not exist."""
        conn = self.client()
        try:
            typ, _ = conn.select(f'"{folder}"', readonly=True)
            if typ != "OK":
                return []
            _, found = conn.uid("SEARCH", "UNDELETED")
            raw = []
            for uid in found[0].split():
                _, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
                # none when the pipeline moved it away since the SEARCH
                raw += [part[1] for part in data if isinstance(part, tuple)][:1]
            return raw
        finally:
            conn.logout()

    def flags(self, folder: str) -> list[str]:
        conn = self.client()
        try:
            _, count = conn.select(f'"{folder}"', readonly=True)
            if count[0] in (b"0", None):
                return []
            _, data = conn.fetch("1:*", "(FLAGS)")
            return [line.decode() for line in data if isinstance(line, bytes)]
        finally:
            conn.logout()

    def configure(self, config: Config, **imap: object) -> Config:
        """``config`` with its mailbox pointed at this account (plain IMAP unless overridden)."""
        server = ImapServer(host=self.host, port=self.port, security="plain")
        mailbox = config.mailbox.model_copy(
            update={
                "kind": MailboxKind.imap,
                "imap": server.model_copy(update=imap),
                "timeout_seconds": 5,
                "poll_seconds": 0.5,
            }
        )
        return config.model_copy(update={"mailbox": mailbox})

    def config_file(self, folder: Path, poll_seconds: float = 60) -> Path:
        """The shipped config.toml with its mailbox pointed here and its paths under folder."""
        text = (ROOT / "config.toml").read_text(encoding="utf-8")
        replacements = {
            'kind = "none"': 'kind = "imap"',
            "poll_seconds = 60": f"poll_seconds = {poll_seconds}\ntimeout_seconds = 5",
            'host = ""': f'host = "{self.host}"',
            "port = 993": f"port = {self.port}",
            'security = "tls"': 'security = "plain"',
        }
        for old, new in replacements.items():
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        (folder / "inbox").mkdir(exist_ok=True)
        path = folder / "config.toml"
        path.write_text(text, encoding="utf-8")
        return path

    def environment(self, password: str | None = None) -> dict[str, str]:
        """The environment of a `pipeline` process logging in as this user."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLUSTER_")}
        env["CLUSTER_IMAP_USERNAME"] = self.username
        env["CLUSTER_IMAP_PASSWORD"] = password or self.password
        env["PYTHONPATH"] = str(ROOT)
        return env


def _date_header(data: bytes) -> dt.datetime | None:
    headers = BytesHeaderParser().parsebytes(data[:65536])
    try:
        return email.utils.parsedate_to_datetime(str(headers["Date"])) if headers["Date"] else None
    except (TypeError, ValueError):
        return None
