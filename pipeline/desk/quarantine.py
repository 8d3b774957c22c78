"""Quarantined mail: who sent it, what the mail server said about it and the names of its
attachments, none of them opened; the admin releases it (processed again, its sender vouched
for this once) or rejects it with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.policy import compat32

from pipeline.context import Context
from pipeline.desk import registry
from pipeline.desk.store import DeskStore, now
from pipeline.errors import PipelineError
from pipeline.models import Submission
from pipeline.runner import reprocess

MAX_HEADER_BYTES = 256 * 1024  # authentication results are near the top: never parse a body


@dataclass(frozen=True)
class Quarantined:
    message_id: str
    sender: str
    subject: str
    received_at: datetime
    authentication: tuple[str, ...]
    attachments: tuple[str, ...]
    reasons: tuple[str, ...]


def quarantined_mail(ctx: Context, store: DeskStore) -> list[Quarantined]:
    rejected = {str(m) for (m,) in store.rows("SELECT message_id FROM rejections")}
    with registry.reading(ctx.config.paths.register_db) as db:
        listed = [q for q in registry.quarantined(db) if q[0] not in rejected]
        attachments = {q[0]: registry.message_documents(db, q[0]) for q in listed}
        reasons = {q[0]: registry.message_findings(db, q[0]) for q in listed}
    return [
        Quarantined(
            message_id=mid,
            sender=sender,
            subject=subject,
            received_at=datetime.fromisoformat(received),
            authentication=_authentication(ctx, sha256),
            attachments=tuple(name for name, _ in attachments[mid]),
            reasons=tuple(reasons[mid]),
        )
        for mid, sha256, sender, subject, received in listed
    ]


def _authentication(ctx: Context, sha256: str) -> tuple[str, ...]:
    """The Authentication-Results headers, read from the stored email's header block only."""
    raw = ctx.store.read(sha256)[:MAX_HEADER_BYTES]
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
    return tuple(" ".join(str(v).split()) for v in headers.get_all("Authentication-Results") or [])


def release(ctx: Context, message_id: str, reason: str, by: str) -> tuple[Submission, ...]:
    """Process the email again with its sender accepted for this once; the audit log says
    who vouched for it and why."""
    if not reason.strip():
        raise PipelineError("Say why the email may be released.")
    stored = quarantined_sender(ctx, message_id)
    senders = ctx.config.senders
    vouched = ctx.config.model_copy(
        update={
            "senders": senders.model_copy(
                update={"accept_addresses": (*senders.accept_addresses, stored)}
            )
        }
    )
    ctx.register.audit(by, "release_quarantined", f"{message_id}: {reason.strip()}")
    released = Context(vouched, ctx.store, ctx.register, ctx.parsers)
    return reprocess(released, message_id)


def reject(ctx: Context, store: DeskStore, message_id: str, reason: str, by: str) -> None:
    """Take the email off the quarantine list, keeping it (and why) in the register."""
    if not reason.strip():
        raise PipelineError("Say why the email is rejected.")
    quarantined_sender(ctx, message_id)
    with store.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO rejections VALUES (?, ?, ?, ?)",
            (message_id, reason.strip(), by, now().isoformat()),
        )
    ctx.register.audit(by, "reject_quarantined", f"{message_id}: {reason.strip()}")


def quarantined_sender(ctx: Context, message_id: str) -> str:
    with registry.reading(ctx.config.paths.register_db) as db:
        found = next((q for q in registry.quarantined(db) if q[0] == message_id), None)
    if found is None:
        raise PipelineError(f"{message_id} is not in quarantine")
    return found[2]
