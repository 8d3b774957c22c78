"""The whole journey of one email, top to bottom.

store raw -> read each attachment (classify, extract, check its fields) -> split into
requests -> join each to its case -> validate the case against a snapshot of its history ->
record everything in the register in one transaction (the email counts as processed once that
commits) -> write the JSON and reply drafts from what was committed.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from pipeline.cases.assess import assess_case
from pipeline.cases.split import split_requests
from pipeline.cases.versions import arrivals
from pipeline.context import Context
from pipeline.flow.attachments import Early, email_findings, quarantined, read_attachments
from pipeline.flow.from_message import submission_from
from pipeline.flow.history import case_history, email_history
from pipeline.flow.join import case_identity, foreign_quotes, join_case, quoted_case
from pipeline.flow.review_join import is_review, joined_review, review_without_case
from pipeline.intake.mail import parse_incoming
from pipeline.meetings.impact.inputs import import_pandas_in_background
from pipeline.models import ExtractedDocument, Finding, Incoming, Message, Status, Submission
from pipeline.outcomes import CaseOutcome
from pipeline.reports.publish import publish
from pipeline.rules import check_sender, finding
from schemas.codes import RuleCode

log = logging.getLogger(__name__)
MB = 1024 * 1024


def process(
    incoming: Incoming, ctx: Context, early: Early | None = None
) -> tuple[Submission, ...] | None:
    """Process one raw message; None when the same bytes were processed before, or the same
    email under another Message-ID (a second delivery).

    ``early`` is what the read-ahead did for it while the emails before it were processed:
    stored it, and perhaps handed its attachments to the workers; every check is made again
    here, in its turn. Returns the email's own submissions, one per request it carries.
    """
    clock = ctx.timings
    with clock.stage("store"):
        if ctx.register.seen_message(hashlib.sha256(incoming.data).hexdigest()):
            return None
        message = early.message if early else stored(incoming, ctx)
        if second_delivery(message, incoming, ctx):
            return None
    with clock.stage("rules"):
        refused = (
            too_large(message, ctx)
            or check_sender(message, ctx.config)
            or foreign_quotes(message, ctx)
        )
        documents = [] if refused else _read(message, ctx, early)
    with clock.stage("register"), ctx.register.transaction():
        with clock.stage("rules"):
            submissions, refreshed = outcomes(message, refused, documents, ctx)
        ctx.register.record(message, incoming.ref, submissions, refreshed)
    with clock.stage("reports"):
        publish(ctx)
    for submission in submissions:
        _log(submission)
    return submissions


def _read(message: Message, ctx: Context, early: Early | None) -> list[ExtractedDocument]:
    """The email's attachments read: by the workers the read-ahead handed them to, if it did."""
    readings = early.readings if early else None
    return read_attachments(message, ctx, email_history(ctx, message), readings)


def stored(incoming: Incoming, ctx: Context) -> Message:
    """The email and its attachments stored, and it parsed (one over the size limit is only
    stored); in its turn, or by the read-ahead before it (``early.py``)."""
    ready_for_mail(ctx)  # new mail: while it is stored
    return parse_incoming(incoming, ctx.store, ctx.config.intake.max_email_mb * MB)


def ready_for_mail(ctx: Context) -> None:
    """Start, in the background, what handling an email needs and is slow to start: the
    parsing workers (if not running) and the reports' pandas (if not imported)."""
    ctx.parsers.warm()
    import_pandas_in_background()


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


def outcomes(
    message: Message,
    refused: Sequence[Finding],
    documents: Sequence[ExtractedDocument],
    ctx: Context,
) -> tuple[tuple[Submission, ...], tuple[Submission, ...]]:
    """The email's submissions, and the earlier submissions of their cases brought up to date."""
    if refused:
        return (quarantine(message, refused),), ()
    if not documents:
        return (no_documents(message, ctx),), ()
    return assess_requests(message, documents, ctx)


def unassessed(
    message: Message,
    status: Status,
    findings: Sequence[Finding],
    *,
    case_ref: str | None = None,
    documents: Sequence[ExtractedDocument] = (),
) -> Submission:
    """The submission of an email no request was assessed for: no request type, no meeting."""
    return submission_from(message, status, findings, case_ref=case_ref, documents=documents)


def quarantine(message: Message, findings: Sequence[Finding]) -> Submission:
    """An email from an unknown sender: stored, its attachments listed, none opened."""
    return unassessed(message, Status.quarantined, findings, documents=quarantined(message))


def no_documents(message: Message, ctx: Context) -> Submission:
    """An email with nothing attached (a question, a note): kept and shown to the admin, with
    the case it quotes if any; it opens no case of its own."""
    findings = [
        finding(RuleCode.missing_document, "no_attachments"),
        *email_findings(message),
    ]
    return unassessed(message, Status.incomplete, findings, case_ref=quoted_case(message, ctx))


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
        if case_ref is None:
            submissions.append(review_without_case(submission_id, message, documents, ctx.config))
            continue
        arriving = [(message.received_at, submission_id, document) for document in documents]
        history = case_history(ctx, case_ref, arriving, excluding=submission_id)
        outcome = assess_case(history, arriving, ctx.config)
        identity = case_identity(arrivals(history.earlier) + arriving)
        ctx.register.save_case(case_ref, outcome, identity=identity)
        submission = _submission(submission_id, case_ref, message, documents, outcome)
        if is_review(documents):
            submission = joined_review(submission, history.earlier, ctx)
        submissions.append(submission)
        refreshed += [_updated(s, outcome) for s in history.earlier]
    return tuple(submissions), tuple(refreshed)


def reassess_case(case_ref: str, ctx: Context) -> tuple[Submission, ...]:
    """Validate a case again (after the admin moved it or accepted a finding) and save its
    submissions; the caller holds the transaction and publishes after it commits."""
    history = case_history(ctx, case_ref)
    outcome = assess_case(history, (), ctx.config)
    updated = tuple(_updated(s, outcome) for s in history.earlier)
    ctx.register.save_case(case_ref, outcome, identity=case_identity(arrivals(history.earlier)))
    ctx.register.refresh_submissions(updated)
    return updated


def _submission(
    submission_id: str,
    case_ref: str,
    message: Message,
    documents: Sequence[ExtractedDocument],
    outcome: CaseOutcome,
) -> Submission:
    return submission_from(
        message,
        outcome.status,
        outcome.findings,
        submission_id=submission_id,
        case_ref=case_ref,
        documents=documents,
        request_type=outcome.request,
        meeting=outcome.meeting,
        setting=outcome.setting,
        pupil_initials=outcome.initials,
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
