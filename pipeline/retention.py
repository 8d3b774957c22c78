"""The retention policy: remove the personal data of cases closed more than N years ago,
keeping the anonymous figures (how many requests, of which kind, from which setting, for how
much, and what was decided).

A case closes when its agreed funding's review date passes, or at the meeting that declined or
deferred it, or with its last email if the school wrote after that (a case never decided closes
with its last email): its data is kept for the years after the latest of these. Quarantined
emails (never opened, no case) go after ``privacy.quarantine_days``. Everywhere the data lives
goes: the register (anonymised, vacuumed, its write-ahead log emptied), the store, the
submission JSON, reply and outcome drafts, the bundles and decision logs of the meetings the
case was on, and the emails still lying in the drop folder (it never moves its inputs, so they
are deleted here).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from pipeline.context import Context
from pipeline.models import ExtractedDocument, Finding, Submission
from pipeline.register.retention import REMOVED
from pipeline.reports.publish import publish
from pipeline.runner import write_reports
from schemas.personal import RETAINED
from schemas.reading import keeping

KEPT_FIELDS = RETAINED  # declared in schemas.personal


@dataclass(frozen=True)
class RetentionResult:
    cases: tuple[str, ...]
    blobs_removed: int
    files_removed: int
    quarantined: int = 0


@dataclass(frozen=True)
class Plan:
    """What the retention policy removes today: cases, quarantined emails and the files that
    hold their personal data outside the register and store."""

    cases: tuple[str, ...]
    quarantined: tuple[str, ...]  # message ids
    files: tuple[Path, ...]


def expired_cases(ctx: Context, today: date) -> list[str]:
    cutoff = today - relativedelta(years=ctx.config.privacy.retention_years)
    return [
        ref
        for ref, last, closes in ctx.register.case_activity()
        if max(last, closes or last) < cutoff
    ]


def expired_quarantine(ctx: Context, today: date) -> list[str]:
    before = datetime.combine(today, time(), UTC) - timedelta(
        days=ctx.config.privacy.quarantine_days
    )
    return ctx.register.quarantined_before(before)


def plan(ctx: Context, today: date) -> Plan:
    cases = expired_cases(ctx, today)
    quarantined = expired_quarantine(ctx, today)
    messages = [m for ref in cases for m in ctx.register.case_message_blobs(ref)[0]]
    files = [
        *meeting_files(ctx, cases),
        *draft_files(ctx, cases, [*messages, *quarantined]),
        *inbox_files(ctx, set(ctx.register.message_blobs([*messages, *quarantined]))),
    ]
    return Plan(tuple(cases), tuple(quarantined), tuple(dict.fromkeys(files)))


def apply_retention(ctx: Context, today: date, by: str) -> RetentionResult:
    todo = plan(ctx, today)
    blobs = 0
    for case_ref in todo.cases:
        submissions = [_anonymised(s) for s in ctx.register.case_submissions(case_ref)]
        messages, shas = ctx.register.case_message_blobs(case_ref)
        ctx.register.anonymise_case(case_ref, submissions, messages, by)
        blobs += _forget(ctx, submissions, messages, shas)
    if todo.quarantined:
        submissions = [
            _anonymised(s) for m in todo.quarantined for s in ctx.register.message_submissions(m)
        ]
        shas = ctx.register.message_blobs(todo.quarantined)
        ctx.register.anonymise_quarantined(submissions, todo.quarantined, by)
        blobs += _forget(ctx, submissions, todo.quarantined, shas)
    files = sum(_unlink(path) for path in todo.files)
    if todo.cases or todo.quarantined:
        ctx.register.compact()
        write_reports(ctx)  # the report and tracker showed the removed values
    return RetentionResult(todo.cases, blobs, files, len(todo.quarantined))


def _forget(
    ctx: Context, submissions: Sequence[Submission], messages: Sequence[str], shas: list[str]
) -> int:
    """Rewrite the JSON of the submissions; delete the blobs no other message uses."""
    publish(ctx)  # the JSON rewritten from the anonymised records
    return sum(
        ctx.store.remove(sha) for sha in shas if not ctx.register.blob_still_needed(sha, messages)
    )


def meeting_files(ctx: Context, cases: Sequence[str]) -> list[Path]:
    """Bundles and decision logs of every meeting an expired case was on, and its outcome
    drafts; a bundle still needed for other cases can be made again with ``meeting bundle``."""
    folders = ctx.config.paths.outbox / "meetings"
    days = {day for ref in cases for day in ctx.register.case_meetings(ref)}
    found: list[Path] = []
    for day in sorted(days):
        folder = folders / day.isoformat()
        found += sorted(p for p in folder.glob("*") if p.is_file())
    found += [p for ref in cases for p in folders.glob(f"*/outcomes/{ref}.eml")]
    return found


def draft_files(ctx: Context, cases: Sequence[str], messages: Sequence[str]) -> list[Path]:
    replies = ctx.config.paths.outbox / "replies"
    ids = {s.submission_id for ref in cases for s in ctx.register.case_submissions(ref)}
    ids |= {s.submission_id for m in messages for s in ctx.register.message_submissions(m)}
    places = (replies, replies / "superseded")  # superseded: drafts a later email replaced
    return [p for i in sorted(ids) for folder in places if (p := folder / f"{i}.eml").exists()]


def inbox_files(ctx: Context, shas: set[str]) -> list[Path]:
    """Files in the drop folder that are the expired emails (processed, kept by the folder)."""
    inbox = ctx.config.paths.inbox
    if not shas or not inbox.is_dir():
        return []
    return [
        path
        for path in sorted(inbox.rglob("*"))
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() in shas
    ]


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _anonymised(submission: Submission) -> Submission:
    return submission.model_copy(
        update={
            "sender": None,
            "subject": REMOVED,
            "pupil_initials": None,
            "documents": tuple(_document(d) for d in submission.documents),
            "findings": tuple(_finding(f) for f in submission.findings),
        }
    )


def _document(document: ExtractedDocument) -> ExtractedDocument:
    kept = {
        k: v.model_copy(
            update={"raw": "", "source": v.source.model_copy(update={"document": REMOVED})}
        )
        for k, v in document.fields.items()
        if k in KEPT_FIELDS
    }
    return document.model_copy(
        update={
            "filename": REMOVED,
            "form": keeping(document.form, KEPT_FIELDS) if document.form is not None else None,
            "fields": kept,
            "lines": (),
            "findings": tuple(_finding(f) for f in document.findings),
        }
    )


def _finding(finding: Finding) -> Finding:
    return finding.model_copy(update={"message": REMOVED, "document": None})


def describe(ctx: Context, today: date) -> str:
    todo = plan(ctx, today)
    privacy = ctx.config.privacy
    lines = [
        f"{len(todo.cases)} case(s) closed more than {privacy.retention_years} "
        f"year(s) before {today.isoformat()}: " + (", ".join(todo.cases) or "none"),
        f"{len(todo.quarantined)} quarantined email(s) older than {privacy.quarantine_days} days",
        f"{len(todo.files)} file(s) to delete:",
        *(f"  {path}" for path in todo.files),
    ]
    return "\n".join(lines)
