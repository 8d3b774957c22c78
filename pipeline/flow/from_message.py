"""The one way a submission is made from an email: the email's own details, and what was
assessed of its request (nothing, for an email no request was assessed for)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pipeline.models import ExtractedDocument, Finding, Message, RequestType, Status, Submission


def submission_from(
    message: Message,
    status: Status,
    findings: Sequence[Finding],
    *,
    submission_id: str | None = None,
    case_ref: str | None = None,
    documents: Sequence[ExtractedDocument] = (),
    request_type: RequestType | None = None,
    meeting: date | None = None,
    setting: str | None = None,
    pupil_initials: str | None = None,
) -> Submission:
    return Submission(
        submission_id=submission_id or message.id,
        case_ref=case_ref,
        received_at=message.received_at,
        sender=message.sender,
        subject=message.subject,
        request_type=request_type,
        status=status,
        meeting=meeting,
        setting=setting,
        pupil_initials=pupil_initials,
        documents=tuple(documents),
        findings=tuple(findings),
    )
