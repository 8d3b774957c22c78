"""The desk's own SQLite file beside the register: accounts, sessions, failed sign-ins, the
admin's notes and the reply drafts' state. The register itself is only read and changed
through the pipeline's library functions."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pipeline.atomic import ensure_private_dir
from pipeline.config import Config
from pipeline.errors import RegisterError

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    display TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'panel')),
    meetings TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seen_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failed_signins (
    at TEXT NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS failed_signins_by_time ON failed_signins(at);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL,
    text TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_by_case ON notes(case_ref);
CREATE TABLE IF NOT EXISTS entra_flows (
    state TEXT PRIMARY KEY,
    flow TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejections (
    message_id TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    by TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    submission_id TEXT PRIMARY KEY,
    case_ref TEXT NOT NULL,
    text TEXT,
    edited_by TEXT,
    edited_at TEXT,
    sent_by TEXT,
    sent_at TEXT
);
"""


def desk_db_path(config: Config) -> Path:
    return config.paths.register_db.parent / "desk.sqlite"


def now() -> datetime:
    return datetime.now(UTC)


class DeskStore:
    """One connection shared by the server's threads, each statement under one lock."""

    def __init__(self, path: Path) -> None:
        ensure_private_dir(path.parent)
        try:
            self._db = sqlite3.connect(
                path, isolation_level=None, timeout=30, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise RegisterError(f"the desk's database {path} cannot be opened: {exc}") from None
        path.chmod(0o600)
        self._lock = threading.RLock()

    @classmethod
    def of(cls, config: Config) -> DeskStore:
        return cls(desk_db_path(config))

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def rows(self, query: str, arguments: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return [tuple(row) for row in self._db.execute(query, arguments)]

    def row(self, query: str, arguments: tuple[object, ...] = ()) -> tuple[object, ...] | None:
        found = self.rows(query, arguments)
        return found[0] if found else None
