"""The register's connection: SQLite in WAL mode, fully synced, migrated on open."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import NamedTuple, Self

from pipeline.atomic import ensure_private_dir
from pipeline.errors import RegisterError, disk_error
from pipeline.register.migrations import migrate


class Connection:
    def __init__(self, path: Path) -> None:
        ensure_private_dir(path.parent)
        try:
            self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self.version = migrate(self._db)
        except sqlite3.DatabaseError as exc:
            if stop := disk_error(exc):
                raise stop from None
            raise RegisterError(f"the register {path} cannot be opened: {exc}") from None
        path.chmod(0o600)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def counts(self) -> dict[str, int]:
        tables = ("messages", "documents", "submissions", "findings", "cases", "decisions")
        return {t: int(self._db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}

    def integrity_ok(self) -> bool:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0]) == "ok"

    def audit(self, actor: str, action: str, detail: str) -> None:
        """A line in the audit log: bundles made, decisions imported, findings accepted."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)",
                (now(), actor, action, detail),
            )

    def audit_log(self) -> list[AuditEntry]:
        """Every line of the audit log, oldest first."""
        rows = self._db.execute("SELECT at, actor, action, detail FROM audit ORDER BY rowid")
        return [AuditEntry(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]

    def case_audit(self, case_ref: str) -> list[AuditEntry]:
        """The audit lines about one case (their detail starts with its reference), oldest
        first."""
        rows = self._db.execute(
            "SELECT at, actor, action, detail FROM audit "
            "WHERE detail = ? OR substr(detail, 1, length(?) + 1) = ? || ' ' ORDER BY rowid",
            (case_ref, case_ref, case_ref),
        )
        return [AuditEntry(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]

    def transaction(self) -> Transaction:
        """Everything done inside is committed together, or not at all (nested uses join)."""
        return Transaction(self._db)

    def _transaction(self) -> Transaction:
        return self.transaction()

    @contextmanager
    def _unsynced(self) -> Iterator[None]:
        """Transactions begun inside commit without waiting for the disk (SQLite's
        synchronous=NORMAL in WAL mode): they survive the process being killed, a power cut
        may undo them, and the next fully synced commit makes them durable too. Only for what
        is merely done again when undone (a JSON's mark cleared after the JSON was written)."""
        if self._db.in_transaction:  # joining a transaction: it commits as it was begun
            yield
            return
        self._db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield
        finally:
            self._db.execute("PRAGMA synchronous=FULL")


class AuditEntry(NamedTuple):
    at: str  # ISO time, UTC
    actor: str
    action: str
    detail: str


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on an exception; nested uses join the outer one."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._outer = False

    def __enter__(self) -> None:
        self._outer = not self._db.in_transaction
        if self._outer:
            self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if self._outer:
            self._db.execute("ROLLBACK" if kind else "COMMIT")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def moment_column(moment: datetime) -> str:
    """A moment as the register stores it for ordering: UTC to the second, so that the text
    sorts as time does (a "+01:00" summer time would otherwise sort after a later UTC one)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
