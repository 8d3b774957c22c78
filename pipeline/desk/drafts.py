"""The reply draft of a case's current state, as the admin edits and sends it; the drafts to
its earlier emails are shown as superseded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pipeline.config import Config
from pipeline.desk.store import DeskStore, now
from pipeline.models import Status, Submission
from pipeline.register import Register
from pipeline.reports.reply import personal_values, reply_subject, reply_text, withhold


@dataclass(frozen=True)
class Draft:
    submission_id: str
    to: str
    subject: str
    text: str
    edited_by: str | None = None
    edited_at: datetime | None = None
    sent_by: str | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class CaseDrafts:
    current: Draft | None
    superseded: tuple[str, ...]  # submission ids whose drafts a later email made out of date


def case_drafts(config: Config, store: DeskStore, submissions: list[Submission]) -> CaseDrafts:
    """The draft answering the case's latest email, if the case is still incomplete."""
    latest = submissions[-1]
    earlier = tuple(s.submission_id for s in submissions[:-1] if s.sender)
    if latest.status is not Status.incomplete or not latest.sender:
        return CaseDrafts(None, earlier)
    personal = personal_values(latest)
    generated = Draft(
        submission_id=latest.submission_id,
        to=latest.sender,
        subject=reply_subject(withhold(latest.subject, personal), latest.case_ref),
        text=reply_text(latest, config, personal),
    )
    return CaseDrafts(_with_saved(store, generated), earlier)


def _with_saved(store: DeskStore, draft: Draft) -> Draft:
    row = store.row(
        "SELECT text, edited_by, edited_at, sent_by, sent_at FROM drafts WHERE submission_id = ?",
        (draft.submission_id,),
    )
    if row is None:
        return draft
    text, edited_by, edited_at, sent_by, sent_at = row
    return Draft(
        submission_id=draft.submission_id,
        to=draft.to,
        subject=draft.subject,
        text=str(text) if text is not None else draft.text,
        edited_by=str(edited_by) if edited_by else None,
        edited_at=datetime.fromisoformat(str(edited_at)) if edited_at else None,
        sent_by=str(sent_by) if sent_by else None,
        sent_at=datetime.fromisoformat(str(sent_at)) if sent_at else None,
    )


def save_draft_text(
    store: DeskStore, register: Register, case_ref: str, submission_id: str, text: str, by: str
) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT INTO drafts (submission_id, case_ref, text, edited_by, edited_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(submission_id) DO UPDATE SET "
            "text = excluded.text, edited_by = excluded.edited_by, edited_at = excluded.edited_at",
            (submission_id, case_ref, text.replace("\r\n", "\n"), by, now().isoformat()),
        )
    register.audit(by, "edit_draft", f"{case_ref} reply draft to {submission_id}")


def mark_sent(
    store: DeskStore, register: Register, case_ref: str, submission_id: str, by: str
) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT INTO drafts (submission_id, case_ref, sent_by, sent_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(submission_id) DO UPDATE SET "
            "sent_by = excluded.sent_by, sent_at = excluded.sent_at",
            (submission_id, case_ref, by, now().isoformat()),
        )
    register.audit(by, "mark_draft_sent", f"{case_ref} reply to {submission_id}")
