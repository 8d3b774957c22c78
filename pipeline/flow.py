"""The whole journey of one email, top to bottom.

store raw -> split into documents -> classify -> extract -> validate -> assign a meeting ->
write the JSON -> record in the register (the message counts as processed once this commits).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from pipeline.classify import SUPPORTING, classify
from pipeline.config import Config
from pipeline.extract.form import extract_form
from pipeline.extract.provision_map import extract_provision_map
from pipeline.intake.filenames import is_blocked
from pipeline.intake.mail import parse_incoming
from pipeline.intake.store import BlobStore
from pipeline.meetings.assign import assign_meeting
from pipeline.models import (
    Attachment,
    ExtractedDocument,
    Finding,
    Incoming,
    Message,
    RequestType,
    Severity,
    Status,
    Submission,
)
from pipeline.read import Unreadable, read_document
from pipeline.register import Register
from pipeline.rules import (
    RuleContext,
    canonical_setting,
    check_fields,
    check_request,
    check_sender,
    check_sender_setting,
    finding,
    request_type_of,
)
from pipeline.rules.base import first
from pipeline.rules.pupil import pupil_name
from pipeline.rules.requests import MAIN_FORM
from pipeline.submission_json import write_submission_json
from schemas import FORMS

log = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")
QUARANTINED = "quarantined"


@dataclass(frozen=True)
class Context:
    config: Config
    store: BlobStore
    register: Register


def process(incoming: Incoming, ctx: Context) -> Submission | None:
    """Process one raw message; None when the same bytes were processed before."""
    if ctx.register.seen_message(hashlib.sha256(incoming.data).hexdigest()):
        return None
    message = parse_incoming(incoming, ctx.store)
    submission = assess(message, ctx)
    write_submission_json(ctx.config.paths.outbox, submission)
    ctx.register.record(message, incoming.ref, submission)
    log.info(
        "processed %s: %s, %d finding(s) [%s]",
        submission.submission_id,
        submission.status.value,
        len(submission.findings),
        ",".join(sorted({f.code for f in submission.findings})),
    )
    return submission


def assess(message: Message, ctx: Context) -> Submission:
    received = message.received_at.astimezone(LONDON).date()
    quarantine = check_sender(message, ctx.config)
    if quarantine:
        kept = [_unread(attachment, QUARANTINED) for attachment in message.attachments]
        return _submission(message, ctx, None, kept, quarantine, Status.quarantined, received)
    documents, findings = read_attachments(message, ctx)
    request = request_type_of(documents)
    findings += check_request(request, documents, RuleContext(ctx.config, received))
    main_form = first(documents, MAIN_FORM[request]) if request else None
    if main_form is not None:
        findings += check_sender_setting(message, main_form, ctx.config)
    status = Status.incomplete if _has_error(findings) else Status.complete
    return _submission(message, ctx, request, documents, findings, status, received)


def read_attachments(
    message: Message, ctx: Context
) -> tuple[list[ExtractedDocument], list[Finding]]:
    documents: list[ExtractedDocument] = []
    findings: list[Finding] = [
        finding("unreadable_document", f"Part of this email could not be read: {problem}.")
        for problem in message.problems
        if problem.startswith("unreadable:")
    ]
    for attachment in message.attachments:
        document = read_attachment(attachment, message, ctx)
        documents.append(document.model_copy(update={"findings": ()}))
        findings += document.findings
    return documents, findings


def read_attachment(attachment: Attachment, message: Message, ctx: Context) -> ExtractedDocument:
    """One attachment -> a classified, extracted document carrying its own findings."""
    name = attachment.filename
    if is_blocked(name, ctx.config.intake.blocked_extensions):
        return _unread(
            attachment,
            "blocked",
            finding(
                "blocked_file_type",
                f"'{name}' is a macro-enabled or executable file, which the cluster "
                "cannot open. It has been kept in quarantine. Please save it as an "
                "ordinary .docx, .xlsx or .pdf and send it again.",
                document=name,
            ),
        )
    findings = _duplicate(attachment, message, ctx)
    try:
        read = read_document(ctx.store.read(attachment.sha256), name, attachment.sha256)
    except Unreadable as reason:
        return _unread(
            attachment,
            "unreadable",
            finding("unreadable_document", f"'{name}' cannot be opened: {reason}.", document=name),
            *findings,
        )
    kind = classify(read) if read is not None else SUPPORTING
    if read is None or kind == SUPPORTING:
        return _unread(
            attachment,
            SUPPORTING,
            finding(
                "unrecognised_document",
                f"'{name}' is not a cluster form; it is kept as a "
                "supporting document for the panel.",
                document=name,
            ),
            *findings,
        )
    document = (
        extract_provision_map(read) if kind == "provision_map" else extract_form(read, FORMS[kind])
    )
    document, setting_findings = canonical_setting(document, ctx.config)
    findings += [*check_fields(document), *setting_findings]
    return document.model_copy(update={"findings": tuple(findings)})


def _duplicate(attachment: Attachment, message: Message, ctx: Context) -> list[Finding]:
    earlier = ctx.register.earlier_message_with_document(attachment.sha256, message.id)
    if earlier is None:
        return []
    return [
        finding(
            "duplicate_submission",
            f"'{attachment.filename}' was already received "
            f"(submission {earlier}); this copy is identical.",
            document=attachment.filename,
        )
    ]


def _unread(attachment: Attachment, kind: str, *findings: Finding) -> ExtractedDocument:
    return ExtractedDocument(
        filename=attachment.filename, sha256=attachment.sha256, kind=kind, findings=findings
    )


def _has_error(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.error for f in findings)


def _submission(
    message: Message,
    ctx: Context,
    request: RequestType | None,
    documents: Sequence[ExtractedDocument],
    findings: Sequence[Finding],
    status: Status,
    received: date,
) -> Submission:
    meeting, meeting_findings = (
        (None, [])
        if status is Status.quarantined
        else assign_meeting(received, ctx.config.meetings)
    )
    main_form = first(documents, MAIN_FORM[request]) if request else None
    case_ref = None
    if status is not Status.quarantined:
        case_ref = ctx.register.case_ref_for(
            message.id, academic_year(received), ctx.config.cluster.case_prefix
        )
    return Submission(
        submission_id=message.id,
        case_ref=case_ref,
        received_at=message.received_at,
        sender=message.sender,
        subject=message.subject,
        request_type=request,
        status=status,
        meeting=meeting.day if meeting else None,
        setting=main_form.value("setting_name") if main_form else None,
        pupil_initials=initials(main_form),
        documents=tuple(documents),
        findings=(*findings, *meeting_findings),
    )


def academic_year(day: date) -> str:
    """'2526' for 1 September 2025 to 31 August 2026."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start % 100:02d}{(start + 1) % 100:02d}"


def initials(form: ExtractedDocument | None) -> str | None:
    name = pupil_name(form) if form else None
    if not name:
        return None
    return "".join(part[0].upper() for part in name.replace("-", " ").split() if part[:1].isalpha())
