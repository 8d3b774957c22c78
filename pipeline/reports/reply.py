"""The reply draft to a school whose request is incomplete: what to fix, in plain words.

It is a draft for the admin to read, change and send; nothing here sends mail. Email is not a
safe place for a child's details, so the draft names the pupil by initials only and withholds
the name, date of birth and UPN wherever a finding's sentence would repeat them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from pipeline.cases.assess import london_date
from pipeline.config import Config
from pipeline.models import RequestType, Severity, Status, Submission
from pipeline.reports.wording import format_date, format_moment, request_type
from pipeline.rules.cutoff import meetings
from schemas import AnyForm, FundingReview, ProvisionMap, PupilAndSetting
from schemas.about import date_of_birth_of, pupil_name_of, upn_of
from schemas.codes import RuleCode
from schemas.personal import PUPIL_IDENTITY

WITHHELD = "(withheld)"
# Fields whose values never appear in an email, wherever a finding's sentence quotes them.
_CASE_REF = re.compile(r"\[[A-Z]+-\d{4}-\d{4}\]")


def build_reply(submission: Submission, config: Config, original_message_id: str | None) -> bytes:
    """An RFC 822 draft answering the sender of an incomplete submission."""
    if submission.status is not Status.incomplete or not submission.sender:
        raise ValueError("reply drafts are only for incomplete submissions with a sender")
    personal = personal_values(submission)
    message = EmailMessage(policy=SMTP)
    local, _, domain = config.cluster.mailbox.partition("@")
    message["From"] = Address(config.cluster.name, local, domain)
    message["To"] = submission.sender
    message["Subject"] = reply_subject(withhold(submission.subject, personal), submission.case_ref)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=domain or None)
    if original_message_id:
        message["In-Reply-To"] = original_message_id
        message["References"] = original_message_id
    message["X-Unsent"] = "1"  # Outlook opens the .eml as a draft to edit and send
    message.set_content(reply_text(submission, config, personal))
    return message.as_bytes(policy=SMTP)


def reply_subject(subject: str, case_ref: str | None) -> str:
    subject = " ".join(subject.split()) or "Your referral"
    if not re.match(r"(?i)re:", subject):
        subject = f"Re: {subject}"
    if case_ref and not _CASE_REF.search(subject):
        subject = f"{subject} [{case_ref}]"
    return subject


def reply_text(submission: Submission, config: Config, personal: Iterable[str]) -> str:
    personal = tuple(personal)
    errors = [
        withhold(f.message, personal)
        for f in submission.findings
        if f.severity is Severity.error and f.accepted is None
    ]
    warnings = [
        withhold(f.message, personal)
        for f in submission.findings
        if f.severity is Severity.warning and f.accepted is None
    ]
    case_ref = submission.case_ref or "not yet given"
    lines = [
        f"Dear {senco_name(submission) or 'colleague'},",
        "",
        f"Thank you for your request to the {config.cluster.name}, which arrived on "
        f"{format_moment(submission.received_at)}.",
        "",
        f"Case reference: {case_ref}",
        f"Request: {request_type(submission.request_type)}",
        f"Pupil: {submission.pupil_initials or 'not given'} (initials only)",
        f"Setting: {submission.setting or 'not given'}",
        "",
        "What needs fixing before the panel can consider it:",
        *(f"{number}. {text}" for number, text in enumerate(errors, start=1)),
    ]
    if warnings:
        lines += ["", "Please also check:", *(f"- {text}" for text in warnings)]
    lines += [
        "",
        "How to reply:",
        *_how_to_reply(submission, config),
    ]
    lines += ["", "Kind regards,", "", f"{config.cluster.name}", config.cluster.mailbox, ""]
    return "\n".join(lines)


def _how_to_reply(submission: Submission, config: Config) -> list[str]:
    case_ref, meeting = submission.case_ref, submission.meeting
    keep = (
        f"Please reply to this email and keep the case reference {case_ref} in the subject."
        if case_ref
        else "Please reply to this email."
    )
    lines = [
        keep,
        "Attach the missing or corrected documents to your reply; there is no need to send",
        "the other documents again.",
    ]
    if _after_the_round(submission):
        return [
            *lines,
            f"The capital round closed on {format_date(config.capital.closes)}, before this "
            "bid arrived, so the panel cannot recommend it in this round.",
        ]
    arrived = london_date(submission.received_at)
    send_by = last_day_to_send(meeting, config, submission.request_type, arrived=arrived)
    if meeting and send_by:
        lines.append(
            f"Please send them by {format_date(send_by)} to be heard on {format_date(meeting)}."
        )
    elif meeting:
        lines.append(
            f"The request is provisionally listed for the panel meeting on {format_date(meeting)}."
        )
    return lines


def _after_the_round(submission: Submission) -> bool:
    return any(
        f.code == RuleCode.after_round_deadline and f.accepted is None for f in submission.findings
    )


def last_day_to_send(
    meeting: date | None,
    config: Config,
    request: RequestType | None = None,
    *,
    arrived: date | None = None,
) -> date | None:
    """The last day a resent document can arrive and the case still be heard at ``meeting``:
    the day before its cut-off (arriving on the cut-off day is too late); for a capital bid,
    no later than the day the round closes. None when that day was already past when the
    request ``arrived``: a school is never asked for something by a day gone by."""
    found = next((m for m in meetings(config.meetings) if m.day == meeting), None)
    if found is None:
        return None
    last = found.cutoff - timedelta(days=1)
    if request is RequestType.capital and found.day > config.capital.closes:
        last = min(last, config.capital.closes)
    if arrived is not None and last < arrived:
        return None
    return last


def senco_name(submission: Submission) -> str | None:
    """The SENCo (or inclusion lead) the referral form names, to address the reply to."""
    for document in submission.documents:
        name = document.form.senco_name if isinstance(document.form, PupilAndSetting) else None
        if name:
            return " ".join(str(name).split())
    return None


def personal_values(submission: Submission) -> tuple[str, ...]:
    """The pupil's name, date of birth and UPN as the documents gave them, longest first."""
    values: set[str] = set()
    for document in submission.documents:
        values.update(
            found.raw.strip()
            for field_id in sorted(PUPIL_IDENTITY)
            if (found := document.fields.get(field_id)) is not None
        )
        for value in _personal(document.form):
            if isinstance(value, date):
                values.add(f"{value:%d/%m/%Y}")
                values.add(format_date(value))
            elif value is not None:
                values.add(value.strip())
    return tuple(sorted((v for v in values if len(v) >= 2), key=len, reverse=True))


def _personal(form: AnyForm | None) -> tuple[str | date | None, ...]:
    names = pupil_name_of(form) if isinstance(form, ProvisionMap | FundingReview) else None
    forename, surname = (
        (form.pupil_forename, form.pupil_surname)
        if isinstance(form, PupilAndSetting)
        else (None, None)
    )
    return (names, forename, surname, date_of_birth_of(form), upn_of(form))


def withhold(text: str, personal: Iterable[str]) -> str:
    for value in personal:
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", WITHHELD, text, flags=re.IGNORECASE)
    return text
