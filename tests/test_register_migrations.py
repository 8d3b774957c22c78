"""Registers written by earlier versions are brought up to date without losing their order."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pipeline.register.migrations import MIGRATIONS, migrate

ARRIVALS = {  # as version 7 stored them: each with the offset it arrived in
    "m-summer": "2026-03-30T09:30:00+01:00",  # 08:30 UTC
    "m-utc": "2026-03-30T08:45:00+00:00",
    "m-winter": "2026-01-12T17:05:00+00:00",
}


def _register_at_version_7(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:7], start=1):
        db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    for message, arrival in ARRIVALS.items():
        db.execute(
            "INSERT INTO messages VALUES (?, ?, 'folder', ?, NULL, NULL, 's', ?, 'complete', ?)",
            (message, message, message, arrival, arrival),
        )
    db.commit()
    return db


def test_arrival_times_of_an_older_register_are_ordered_by_time_after_migration(
    tmp_path: Path,
) -> None:
    db = _register_at_version_7(tmp_path / "register.db")

    migrate(db)

    newest_first = [m for (m,) in db.execute("SELECT id FROM messages ORDER BY received_at DESC")]
    assert newest_first == ["m-utc", "m-summer", "m-winter"]
    stored = dict(db.execute("SELECT id, received_at FROM messages"))
    assert stored["m-summer"] == "2026-03-30T08:30:00+00:00"
    db.close()
