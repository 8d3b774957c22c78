"""The whole journey of one email, top to bottom.

store raw -> read each attachment (classify, extract, check its fields) -> split into
requests -> join each to its case -> validate the case -> write the JSON -> record everything
in the register in one transaction (the email counts as processed once that commits).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

from pipeline.assess import CaseOutcome, assess_case, london_date
from pipeline.attachments import damaged_email, quarantined, read_attachments
from pipeline.cases import Arrival, arrivals, document_identity, quoted_case_refs, split_requests
from pipeline.context import Context
from pipeline.intake.mail import parse_incoming
from pipeline.models import ExtractedDocument, Finding, Incoming, Message, Status, Submission
from pipeline.rules import check_sender, finding
from pipeline.submission_json import write_submission_json
from schemas.about import setting_of
from schemas.codes import RuleCode

log = logging.getLogger(__name__)
MB = 1024 * 1024


def process(incoming: Incoming, ctx: Context) -> tuple[Submission, ...] | None:
    """Process one raw message; None when the same bytes were processed before, or the same
    email under another Message-ID (a second delivery).

    Returns the email's own submissions, one per request it carries.
    """
    if ctx.register.seen_message(hashlib.sha256(incoming.data).hexdigest()):
        return None
    message = parse_incoming(incoming, ctx.store, ctx.config.intake.max_email_mb * MB)
    if second_delivery(message, incoming, ctx):
        return None
    submissions: tuple[Submission, ...]
    refreshed: tuple[Submission, ...] = ()
    refused = too_large(message, ctx) or check_sender(message, ctx.config)
    documents = [] if refused else read_attachments(message, ctx)
    # One transaction from the first case allocated to the last row, and the email's JSON
    # taken back if it fails: a full disk part-way leaves nothing the register does not know.
    written: list[Path] = []
    try:
        with ctx.register.transaction():
            if refused:
                submissions = (quarantine(message, refused),)
            elif not documents:
                submissions = (no_documents(message, ctx),)
            else:
                submissions, refreshed = assess_requests(message, documents, ctx)
            written = [write_submission_json(ctx.config.paths.outbox, s) for s in submissions]
            for submission in refreshed:
                write_submission_json(ctx.config.paths.outbox, submission)
            ctx.register.record(message, incoming.ref, submissions, refreshed)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    for submission in submissions:
        _log(submission)
    return submissions


def second_delivery(message: Message, incoming: Incoming, ctx: Context) -> bool:
    """The same email delivered again under another Message-ID: recorded, not processed."""
    original = ctx.register.delivered_before(message)
    if original is None:
        return False
    ctx.register.record_duplicate(message, incoming.ref)
    log.info("%s is a second delivery of %s: recorded, not processed again", message.id, original)
    return True


def too_large(message: Message, ctx: Context) -> list[Finding]:
    if not message.oversize:
        return []
    limit = f"{ctx.config.intake.max_email_mb:g}"
    return [finding(RuleCode.email_too_large, limit=limit, submission_id=message.id)]


def quarantine(message: Message, findings: Sequence[Finding]) -> Submission:
    """An email from an unknown sender: stored, its attachments listed, none opened."""
    return Submission(
        submission_id=message.id,
        case_ref=None,
        received_at=message.received_at,
        sender=message.sender,
        subject=message.subject,
        request_type=None,
        status=Status.quarantined,
        meeting=None,
        setting=None,
        pupil_initials=None,
        documents=tuple(quarantined(message)),
        findings=tuple(findings),
    )


def no_documents(message: Message, ctx: Context) -> Submission:
    """An email with nothing attached (a question, a note): kept and shown to the admin, with
    the case it quotes if any; it opens no case of its own."""
    quoted = [
        r
        for r in quoted_case_refs(message, ctx.config.cluster.case_prefix)
        if ctx.register.case_exists(r)
    ]
    return Submission(
        submission_id=message.id,
        case_ref=quoted[0] if quoted else None,
        received_at=message.received_at,
        sender=message.sender,
        subject=message.subject,
        request_type=None,
        status=Status.incomplete,
        meeting=None,
        setting=None,
        pupil_initials=None,
        documents=(),
        findings=(
            finding(
                RuleCode.missing_document,
                "no_attachments",
            ),
            *([damaged_email(message)] if message.problems else []),
        ),
    )


def assess_requests(
    message: Message, documents: Sequence[ExtractedDocument], ctx: Context
) -> tuple[tuple[Submission, ...], tuple[Submission, ...]]:
    """The email's submissions, and the earlier submissions of their cases, brought up to date."""
    groups = split_requests(documents)
    submissions: list[Submission] = []
    refreshed: list[Submission] = []
    for index, documents in enumerate(groups, start=1):
        submission_id = message.id if len(groups) == 1 else f"{message.id}-{index}"
        case_ref = join_case(submission_id, documents, message, ctx, quote=len(groups) == 1)
        earlier = ctx.register.case_submissions(case_ref, excluding=submission_id)
        case_documents = arrivals(earlier) + [
            (message.received_at, submission_id, document) for document in documents
        ]
        outcome = assess_case(case_ref, case_documents, ctx)
        ctx.register.save_case(case_ref, outcome, identity=_identity(case_documents))
        submissions.append(_submission(submission_id, case_ref, message, documents, outcome))
        refreshed += [_updated(s, outcome) for s in earlier]
    return tuple(submissions), tuple(refreshed)


def refresh_case(case_ref: str, ctx: Context) -> tuple[Submission, ...]:
    """Validate a case again (after the admin moved it or accepted a finding) and rewrite the
    JSON and register rows of its submissions."""
    submissions = ctx.register.case_submissions(case_ref)
    outcome = assess_case(case_ref, arrivals(submissions), ctx)
    updated = tuple(_updated(s, outcome) for s in submissions)
    for submission in updated:
        write_submission_json(ctx.config.paths.outbox, submission)
    ctx.register.save_case(case_ref, outcome, identity=_identity(arrivals(submissions)))
    ctx.register.refresh_submissions(updated)
    return updated


def join_case(
    submission_id: str,
    documents: Sequence[ExtractedDocument],
    message: Message,
    ctx: Context,
    *,
    quote: bool,
) -> str:
    """The case quoted in the email, else the same pupil or project this year, else a new one."""
    if quote:
        for case_ref in quoted_case_refs(message, ctx.config.cluster.case_prefix):
            if ctx.register.case_exists(case_ref):
                return case_ref
    year = academic_year_of(message)
    for document in documents:
        identity = document_identity(document)
        setting = setting_of(document.form)
        found = identity and ctx.register.find_case(year, identity, setting)
        if found:
            return found
    return ctx.register.case_ref_for(submission_id, year, ctx.config.cluster.case_prefix)


def academic_year_of(message: Message) -> str:
    """'2526' for 1 September 2025 to 31 August 2026."""
    day = london_date(message.received_at)
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start % 100:02d}{(start + 1) % 100:02d}"


def _identity(case_documents: Sequence[Arrival]) -> str | None:
    return next((key for _, _, d in case_documents if (key := document_identity(d))), None)


def _submission(
    submission_id: str,
    case_ref: str,
    message: Message,
    documents: Sequence[ExtractedDocument],
    outcome: CaseOutcome,
) -> Submission:
    return Submission(
        submission_id=submission_id,
        case_ref=case_ref,
        received_at=message.received_at,
        sender=message.sender,
        subject=message.subject,
        request_type=outcome.request,
        status=outcome.status,
        meeting=outcome.meeting,
        setting=outcome.setting,
        pupil_initials=outcome.initials,
        documents=tuple(documents),
        findings=outcome.findings,
    )


def _updated(submission: Submission, outcome: CaseOutcome) -> Submission:
    return submission.model_copy(
        update={
            "request_type": outcome.request,
            "status": outcome.status,
            "meeting": outcome.meeting,
            "setting": outcome.setting,
            "pupil_initials": outcome.initials,
            "findings": outcome.findings,
        }
    )


def _log(submission: Submission) -> None:
    codes = ",".join(sorted({f.code for f in submission.findings}))
    log.info(
        "processed %s (%s): %s, %d finding(s) [%s]",
        submission.submission_id,
        submission.case_ref or "no case",
        submission.status.value,
        len(submission.findings),
        codes,
    )
