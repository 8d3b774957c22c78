"""The retention policy: remove the personal data of cases closed more than N years ago,
keeping the anonymous figures (how many requests, of which kind, from which setting, for how
much, and what was decided).

A case closes when its agreed funding's review date passes, or at the meeting that declined or
deferred it; a case never decided closes with its last email.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from pipeline.context import Context
from pipeline.models import ExtractedDocument, Finding, Submission
from pipeline.register.retention import REMOVED
from pipeline.reports.publish import publish
from pipeline.runner import write_reports
from schemas.reading import keeping

KEPT_FIELDS = (
    "setting_name",
    "amount_requested",
    "total_cost",
    "year_group",
    "sen_status",
    "primary_need",
    "project_title",
)


@dataclass(frozen=True)
class RetentionResult:
    cases: tuple[str, ...]
    blobs_removed: int
    files_removed: int


def expired_cases(ctx: Context, today: date) -> list[str]:
    cutoff = today - relativedelta(years=ctx.config.privacy.retention_years)
    return [ref for ref, last, closes in ctx.register.case_activity() if (closes or last) < cutoff]


def apply_retention(ctx: Context, today: date, by: str) -> RetentionResult:
    cases = expired_cases(ctx, today)
    blobs = files = 0
    for case_ref in cases:
        submissions = [_anonymised(s) for s in ctx.register.case_submissions(case_ref)]
        messages, shas = ctx.register.case_message_blobs(case_ref)
        ctx.register.anonymise_case(case_ref, submissions, messages, by)
        publish(ctx)  # the JSON rewritten from the anonymised records
        files += sum(_remove_drafts(ctx, submission, case_ref) for submission in submissions)
        blobs += sum(
            ctx.store.remove(sha)
            for sha in shas
            if not ctx.register.blob_still_needed(sha, messages)
        )
    if cases:
        ctx.register.compact()
        write_reports(ctx)  # the report and tracker showed the removed values
    return RetentionResult(tuple(cases), blobs, files)


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


def _remove_drafts(ctx: Context, submission: Submission, case_ref: str) -> int:
    outbox = ctx.config.paths.outbox
    drafts = [
        outbox / "replies" / f"{submission.submission_id}.eml",
        *outbox.glob(f"meetings/*/outcomes/{case_ref}.eml"),
    ]
    removed = 0
    for path in drafts:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed


def describe(ctx: Context, today: date) -> str:
    cases = expired_cases(ctx, today)
    return (
        f"{len(cases)} case(s) closed more than {ctx.config.privacy.retention_years} "
        f"year(s) before {today.isoformat()}: " + (", ".join(cases) or "none")
    )
