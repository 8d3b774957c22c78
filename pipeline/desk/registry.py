"""Read-only questions the desk asks the register that its library does not answer: one row
per case for the queue, the quarantined messages, a message's documents."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def reading(register: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the register: the desk never writes it except through the
    pipeline's own functions."""
    db = sqlite3.connect(f"{register.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        yield db
    finally:
        db.close()


# The latest submission of each case (and each submission that has no case: quarantined mail),
# with the case's status and meeting, which follow the admin's moves and accepted findings.
# Narrow on purpose: the stored records are read only for the rows a page shows.
LATEST = """
WITH latest AS (
    SELECT s.id, s.message, s.case_ref, s.request_type, s.status, s.meeting, s.setting,
           s.pupil_initials, s.received_at,
           ROW_NUMBER() OVER (
               PARTITION BY COALESCE(s.case_ref, s.id) ORDER BY s.received_at DESC, s.id DESC
           ) AS n
    FROM submissions s
)
SELECT l.id, l.message, l.case_ref, l.request_type, COALESCE(c.status, l.status) AS status,
       COALESCE(c.meeting, l.meeting) AS meeting, COALESCE(c.setting, l.setting) AS setting,
       l.pupil_initials, l.received_at
FROM latest l
LEFT JOIN cases c ON c.case_ref = l.case_ref
WHERE l.n = 1
"""

# What a page shows of each of its rows, asked only for those rows: the sender, the open
# errors, the finding codes, and the amount on the main form (?1: request type -> its kind),
# read by SQLite from the stored record without loading it into Python.
DETAILS = """
SELECT s.id, COALESCE(m.sender, ''),
       (SELECT COUNT(*) FROM findings f WHERE f.submission = s.id AND f.severity = 'error'
          AND NOT EXISTS (SELECT 1 FROM accepted_findings a WHERE a.case_ref = s.case_ref
              AND a.code = f.code AND a.field = COALESCE(f.field, '')
              AND a.document = COALESCE(f.document, ''))),
       (SELECT GROUP_CONCAT(DISTINCT f.code) FROM findings f WHERE f.submission = s.id),
       (SELECT json_extract(d.value, '$.form.amount_requested')
          FROM json_each(s.record, '$.documents') d
          WHERE json_extract(d.value, '$.kind') = json_extract(?1, '$.' || s.request_type)
          LIMIT 1)
FROM submissions s JOIN messages m ON m.id = s.message
WHERE s.id IN (SELECT value FROM json_each(?2))
"""


def message_documents(db: sqlite3.Connection, message_id: str) -> list[tuple[str, str]]:
    """The attachment names and their kinds, as recorded: the files are not opened."""
    rows = db.execute(
        "SELECT filename, kind FROM documents WHERE message = ? ORDER BY position", (message_id,)
    )
    return [(str(name), str(kind)) for name, kind in rows]


def quarantined(db: sqlite3.Connection) -> list[tuple[str, str, str, str, str]]:
    """Quarantined messages, newest first: id, hash, sender, subject, arrival time."""
    rows = db.execute(
        "SELECT id, sha256, COALESCE(sender, ''), subject, received_at FROM messages "
        "WHERE status = 'quarantined' ORDER BY received_at DESC, id DESC"
    )
    return [(str(a), str(b), str(c), str(d), str(e)) for a, b, c, d, e in rows]


def distinct(db: sqlite3.Connection, column: str) -> list[str]:
    assert column in ("setting", "meeting")
    rows = db.execute(
        f"SELECT DISTINCT {column} FROM cases WHERE {column} IS NOT NULL ORDER BY {column}"
    )
    return [str(value) for (value,) in rows]


def finding_codes(db: sqlite3.Connection) -> list[str]:
    return [str(c) for (c,) in db.execute("SELECT DISTINCT code FROM findings ORDER BY code")]


def message_findings(db: sqlite3.Connection, message_id: str) -> list[str]:
    rows = db.execute(
        "SELECT f.message FROM findings f JOIN submissions s ON s.id = f.submission "
        "WHERE s.message = ? ORDER BY f.submission, f.seq",
        (message_id,),
    )
    return [str(text) for (text,) in rows]
