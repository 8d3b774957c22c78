"""Loopback fakes of Exchange (EWS) and Microsoft Graph, driven by the real client libraries.

Each fake is an HTTP(S) server on 127.0.0.1 in a thread, with an in-memory mailbox that
survives ``restart()``. Faults are switched on by the tests: drop the connection while a
message is sent, refuse credentials, throttle, stop and start again on the same port.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import ipaddress
import json
import os
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.parser import BytesHeaderParser
from email.policy import SMTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pipeline.config import Config
from pipeline.intake.mail import message_id_of
from pipeline.register import Register
from pipeline.runner import RunSummary, open_context, run_source
from pipeline.sources.base import Source
from testkit.samples import generate

# --- TLS for the loopback --------------------------------------------------------------


@dataclass(frozen=True)
class Tls:
    ca_file: Path
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def make_tls(folder: Path) -> Tls:
    """A throwaway CA and a certificate for 127.0.0.1 signed by it, written into ``folder``."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Loopback test CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    ip = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
    cert = (
        _builder(name, ca_name, key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(x509.SubjectAlternativeName([ip, x509.DNSName("localhost")]), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(ca_key, hashes.SHA256())
    )
    tls = Tls(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    tls.ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    tls.cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    tls.key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return tls


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: Any, now: dt.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


# --- the mailbox -------------------------------------------------------------------------


@dataclass
class Item:
    id: str
    folder: str
    mime: bytes
    received: dt.datetime
    is_draft: bool = False


@dataclass
class Folder:
    id: str
    name: str
    parent: str | None


@dataclass
class Move:
    """One move, with what the test's probe said about the world at that moment."""

    mime: bytes
    to_folder: str
    probe: Any


@dataclass
class FakeMailbox:
    """Folders and messages; every add and removal is logged so folders can be synced."""

    folders: dict[str, Folder] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    log: list[tuple[int, str, str, str]] = field(default_factory=list)  # seq, kind, folder, id
    fetches: Counter[bytes] = field(default_factory=Counter)
    moves: list[Move] = field(default_factory=list)
    probe: Callable[[bytes], Any] = lambda mime: None
    _ids: count[int] = field(default_factory=lambda: count(1))
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.add_folder("root", None, "root")
        self.add_folder("Top of Information Store", "root", "msgfolderroot")
        self.add_folder("Inbox", "msgfolderroot", "inbox")
        self.add_folder("Drafts", "msgfolderroot", "drafts")
        self.add_folder("Sent Items", "msgfolderroot", "sentitems")

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def add_folder(self, name: str, parent: str | None, folder_id: str = "") -> Folder:
        with self._lock:
            folder = Folder(folder_id or self.new_id("F"), name, parent)
            self.folders[folder.id] = folder
            return folder

    def child(self, parent: str, name: str) -> Folder | None:
        return next(
            (f for f in self.folders.values() if f.parent == parent and f.name == name), None
        )

    def deliver(self, mime: bytes, folder: str = "inbox", *, is_draft: bool = False) -> Item:
        with self._lock:
            # delivered a few minutes after it was sent, as the mailbox's own received time
            received = _sent_at(mime) + dt.timedelta(minutes=len(self.items) + len(self.moves))
            item = Item(self.new_id("M"), folder, mime, received, is_draft)
            self.items[item.id] = item
            self.log.append((len(self.log) + 1, "add", folder, item.id))
            return item

    def fetch(self, item_id: str) -> Item | None:
        with self._lock:
            item = self.items.get(item_id)
            if item is not None:
                self.fetches[item.mime] += 1
            return item

    def move(self, item_id: str, to_folder: str) -> Item | None:
        """The item under its new id (ids change on a move, as in Exchange), or None."""
        with self._lock:
            item = self.items.pop(item_id, None)
            if item is None:
                return None
            self.log.append((len(self.log) + 1, "remove", item.folder, item.id))
            self.moves.append(Move(item.mime, to_folder, self.probe(item.mime)))
            moved = Item(self.new_id("M"), to_folder, item.mime, item.received, item.is_draft)
            self.items[moved.id] = moved
            self.log.append((len(self.log) + 1, "add", to_folder, moved.id))
            return moved

    def changes(
        self, folder: str, since: int, limit: int
    ) -> tuple[list[tuple[str, str, Item | None]], int, bool]:
        """Up to ``limit`` changes to ``folder`` after ``since``: ("add", id, item) for items
        still there, ("remove", id, None) for items there before; the new state; whether all."""
        with self._lock:
            changes: list[tuple[str, str, Item | None]] = []
            state = since
            for seq, kind, where, item_id in self.log:
                if seq <= since or where != folder:
                    continue
                if len(changes) == limit:
                    return changes, state, False
                state = seq
                if kind == "add" and item_id in self.items:
                    changes.append(("add", item_id, self.items[item_id]))
                elif kind == "remove" and not self._added_after(since, item_id):
                    changes.append(("remove", item_id, None))
            return changes, len(self.log), True

    def _added_after(self, since: int, item_id: str) -> bool:
        return any(seq > since and kind == "add" and i == item_id for seq, kind, _, i in self.log)

    def in_folder(self, folder: str) -> list[Item]:
        with self._lock:
            return [item for item in self.items.values() if item.folder == folder]

    def named(self, name: str) -> list[Item]:
        """The items in the folder called ``name`` (anywhere), for assertions."""
        ids = {f.id for f in self.folders.values() if f.name == name}
        with self._lock:
            return [item for item in self.items.values() if item.folder in ids]


# --- the server ----------------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # send the headers and half the body, then close the connection


Handle = Callable[[str, str, dict[str, str], bytes], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10
    server: _Server

    def setup(self) -> None:
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.server.handle(self.command, self.path, headers, body)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.drop:
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PATCH = do_DELETE = _any

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, port: int, handle: Handle, tls: Tls | None) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.handle = handle
        self.open: set[socket.socket] = set()
        if tls is not None:
            self.socket = tls.server_context().wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: clients hang up on purpose in these tests."""

    def process_request(self, request: Any, client_address: Any) -> None:
        self.open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        self.open.discard(request)
        super().shutdown_request(request)


class LoopbackServer:
    """Serves ``handle`` on 127.0.0.1; ``stop()`` also cuts the open connections."""

    def __init__(self, handle: Handle, tls: Tls | None = None) -> None:
        self._handle = handle
        self.tls = tls
        self.port = 0
        self._server: _Server | None = None

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server = _Server(self.port, self._handle, self.tls)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        for connection in list(self._server.open):
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._server = None

    def restart(self) -> None:
        self.stop()
        self.start()


# --- driving the pipeline --------------------------------------------------------------


def sample_emails(
    config: Config, folder: Path, *, clean: int, defects: tuple[str, ...] = ()
) -> list[bytes]:
    """Fictional referral emails (.eml bytes) from the sample generator."""
    return [
        path.read_bytes() for path in generate(folder, config, seed=7, clean=clean, defects=defects)
    ]


def with_email_limit(config: Config, megabytes: float) -> Config:
    """``config`` with ``intake.max_email_mb`` at ``megabytes``."""
    intake = config.intake.model_copy(update={"max_email_mb": megabytes})
    return config.model_copy(update={"intake": intake})


def oversize_email(config: Config, folder: Path, megabytes: float) -> bytes:
    """A generated referral email from a cluster school with ``megabytes`` MB of scans added."""
    (path,) = generate(folder, config, seed=11, clean=1)
    message = message_from_bytes(path.read_bytes(), policy=SMTP)
    scans = os.urandom(int(megabytes * 1024 * 1024))
    message.add_attachment(scans, "application", "pdf", filename="Scans.pdf")
    return message.as_bytes()


def submission_record(config: Config, mime: bytes) -> dict[str, Any]:
    """The submission JSON of the message ``mime`` (one request), as the admin's tools read it."""
    message_id = message_id_of(hashlib.sha256(mime).hexdigest())
    record: dict[str, Any] = json.loads(
        (config.paths.outbox / "submissions" / f"{message_id}.json").read_text()
    )
    return record


def poll(source: Source, config: Config) -> RunSummary:
    """One poll of ``source`` through the real pipeline (store, register, JSON)."""
    with open_context(config) as ctx:
        return run_source(source, ctx)


def json_written(config: Config, mime: bytes) -> bool:
    """Whether the submission JSON of the message ``mime`` is on disk."""
    message_id = message_id_of(hashlib.sha256(mime).hexdigest())
    return any((config.paths.outbox / "submissions").glob(f"{message_id}*.json"))


def processed_count(config: Config) -> tuple[int, int]:
    """(messages in the register, submission JSON files)."""
    with Register(config.paths.register_db) as register:
        messages = register.counts()["messages"]
    return messages, len(list((config.paths.outbox / "submissions").glob("*.json")))


def _sent_at(mime: bytes) -> dt.datetime:
    """The email's Date header, else a fixed morning of the 2025/26 year."""
    date = BytesHeaderParser().parsebytes(mime[:65536])["Date"]
    with contextlib.suppress(TypeError, ValueError):
        if date:
            return email.utils.parsedate_to_datetime(str(date))
    return dt.datetime(2025, 10, 1, 9, 0, tzinfo=dt.UTC)
