"""The admin's own notes on a case: kept in the desk, so nothing typed is ever overwritten
(the tracker is rewritten on every run)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pipeline.desk.store import DeskStore, now
from pipeline.errors import PipelineError
from pipeline.register import Register

MAX_NOTE = 4000


@dataclass(frozen=True)
class Note:
    text: str
    by: str
    at: datetime


def case_notes(store: DeskStore, case_ref: str) -> list[Note]:
    rows = store.rows(
        "SELECT text, by, at FROM notes WHERE case_ref = ? ORDER BY id DESC", (case_ref,)
    )
    return [Note(str(t), str(b), datetime.fromisoformat(str(a))) for t, b, a in rows]


def add_note(store: DeskStore, register: Register, case_ref: str, text: str, by: str) -> None:
    text = text.strip()
    if not text:
        raise PipelineError("The note is empty.")
    if len(text) > MAX_NOTE:
        raise PipelineError(f"A note has at most {MAX_NOTE} characters.")
    with store.transaction() as db:
        db.execute(
            "INSERT INTO notes (case_ref, text, by, at) VALUES (?, ?, ?, ?)",
            (case_ref, text, by, now().isoformat()),
        )
    register.audit(by, "add_note", case_ref)
