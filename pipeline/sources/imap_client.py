"""The IMAP wire, over stdlib imaplib: open a connection (TLS, STARTTLS or plain), check a
response, and read UIDs, dates and error text out of what the server says."""

from __future__ import annotations

import imaplib
import re
import ssl
from collections.abc import Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from pipeline.config import ImapServer

INTERNALDATE_RE = re.compile(rb'INTERNALDATE "([^"]+)"')


def connect(server: ImapServer, timeout: float) -> imaplib.IMAP4:
    if server.security == "tls":
        return imaplib.IMAP4_SSL(
            server.host, server.port, ssl_context=tls_context(server), timeout=timeout
        )
    conn = imaplib.IMAP4(server.host, server.port, timeout=timeout)
    if server.security == "starttls":
        try:
            conn.starttls(tls_context(server))
        except BaseException:
            with suppress(OSError):
                conn.shutdown()
            raise
    return conn


def tls_context(server: ImapServer) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if not server.verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def check(result: tuple[str, Sequence[object]], command: str) -> list[Any]:
    """The response's data when it is OK; NO or BAD raise imaplib's error."""
    typ, data = result
    if typ != "OK":
        text = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
        raise imaplib.IMAP4.error(f"{command} {typ} {text}".strip())
    return list(data)


def parse_uids(data: list[bytes]) -> list[int]:
    return sorted(int(uid) for line in data if line for uid in line.split())


def internaldate(meta: bytes) -> datetime:
    found = INTERNALDATE_RE.search(meta)
    if found:
        with suppress(ValueError):
            return datetime.strptime(found.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
    return datetime.now(UTC)


def quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def one_line(exc: BaseException) -> str:
    """imaplib's message on one line, without its b'...' wrapping."""
    text: object = str(exc)
    if isinstance(exc, imaplib.IMAP4.error) and exc.args:
        text = exc.args[0]
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    text = " ".join(str(text).split()) or type(exc).__name__
    return text[:200]
