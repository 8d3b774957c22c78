"""Poison mail: an email that fails every time it is tried must not block the mail behind it.

Each failure is counted in the register against the email (by the hash of its bytes, or by
its place in the mailbox when it could not even be fetched). On the ``intake.max_attempts``-th
failure the email is quarantined unread: a submission with the finding ``processing_failed``
is recorded (so the report shows it), the message goes to the Quarantine folder, and the next
email is processed. Logs carry the hash and the exception's type, never the email's text.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import suppress
from datetime import UTC
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import parseaddr

from pipeline.context import Context
from pipeline.flow.journey import unassessed
from pipeline.intake.mail import message_id_of
from pipeline.models import Incoming, Message, Status, Submission
from pipeline.reports.publish import publish
from pipeline.rules import finding
from schemas import RuleCode

log = logging.getLogger(__name__)


class MessageFailed(Exception):
    """One email could not be processed this time; it is tried again on the next poll."""


def failure_key(incoming: Incoming) -> str:
    """What the attempts are counted against: the bytes, or the place of an unfetched message."""
    if incoming.fetch_error is None:
        return "sha256:" + hashlib.sha256(incoming.data).hexdigest()
    return f"ref:{incoming.source}:{incoming.ref}"


def failed(incoming: Incoming, reason: str, ctx: Context) -> Submission | None:
    """Count a failure; the quarantined submission once there have been enough, else None."""
    key = failure_key(incoming)
    attempts = ctx.register.failed_attempt(key, reason)
    limit = ctx.config.intake.max_attempts
    label = key.split(":", 1)[1][:12] if incoming.fetch_error is None else incoming.ref
    if attempts < limit:
        log.error(
            "email %s could not be processed (%s), attempt %d of %d; it will be tried again",
            label,
            reason,
            attempts,
            limit,
        )
        return None
    log.error(
        "email %s could not be processed (%s) after %d attempts: quarantined with "
        "processing_failed",
        label,
        reason,
        attempts,
    )
    return quarantine_failed(incoming, reason, attempts, ctx)


def quarantine_failed(incoming: Incoming, reason: str, attempts: int, ctx: Context) -> Submission:
    """Record the email as quarantined with ``processing_failed``, without parsing it."""
    if incoming.fetch_error is None:
        sha = ctx.store.put(incoming.data)  # kept, so `pipeline reprocess` can try it again
    else:
        sha = hashlib.sha256(f"unfetched\0{incoming.source}\0{incoming.ref}".encode()).hexdigest()
    sender, subject = _headers(incoming.data)
    message = Message(
        id=message_id_of(sha),
        sha256=sha,
        source=incoming.source,
        message_id=None,
        sender=sender,
        subject=subject,
        received_at=incoming.arrived_at.astimezone(UTC),
        attachments=(),
    )
    failed = finding(
        RuleCode.processing_failed,
        "" if incoming.fetch_error is None else "unfetched",
        attempts=attempts,
        reason=reason,
        submission_id=message.id,
    )
    submission = unassessed(message, Status.quarantined, (failed,))
    ctx.register.record(message, incoming.ref, (submission,))
    publish(ctx)  # its JSON, from what committed
    return submission


def _headers(data: bytes) -> tuple[str | None, str]:
    """The sender and subject if the headers can be read at all; the email itself may not."""
    sender: str | None = None
    subject = "(not read: processing failed)"
    with suppress(Exception):
        headers = BytesHeaderParser(policy=default).parsebytes(data[:65536])
        sender = parseaddr(str(headers.get("From", "")))[1].lower() or None
        subject = " ".join(str(headers.get("Subject", "")).split()) or subject
    return sender, subject
