"""What each mailbox source saved about how far it has read (sync states, UIDs ...)."""

from __future__ import annotations

from pipeline.register.base import Connection, now


class StateQueries(Connection):
    def source_state(self, source: str) -> str | None:
        row = self._db.execute("SELECT state FROM source_state WHERE source = ?", (source,))
        found = row.fetchone()
        return str(found[0]) if found else None

    def save_source_state(self, source: str, state: str) -> None:
        with self._transaction():
            self._db.execute(
                "INSERT INTO source_state VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE "
                "SET state = excluded.state, updated_at = excluded.updated_at",
                (source, state, now()),
            )
