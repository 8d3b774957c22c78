"""One raw message -> a Message whose raw bytes and attachments are all already in the store.

The raw bytes are stored before anything is parsed, and each attachment as it is found, so a
crash part-way leaves nothing that the next run cannot rebuild from the store.
"""

from __future__ import annotations

import mimetypes
from datetime import datetime
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from pipeline.intake.containers import attach
from pipeline.intake.eml import looks_like_rfc822, parse_eml
from pipeline.intake.envelope import OCTET_STREAM, Envelope, aware
from pipeline.intake.filenames import extension, safe_filename
from pipeline.intake.outlook import OLE_MAGIC, parse_msg
from pipeline.intake.store import BlobStore
from pipeline.models import Attachment, Incoming, Message

MAILBOX_SOURCES = frozenset({"imap", "ews", "graph"})  # their messages carry the mailbox's time
HEADER_BYTES = 64 * 1024  # where an oversize email's From and Subject are looked for


def message_id_of(sha: str) -> str:
    """The stable id of the message whose raw bytes hash to ``sha``."""
    return "S-" + sha[:16]


def parse_incoming(
    incoming: Incoming, store: BlobStore, max_bytes: float = float("inf")
) -> Message:
    """The message, parsed; one over ``max_bytes`` is stored and only its headers are read."""
    raw_sha = store.put(incoming.data)
    if len(incoming.data) > max_bytes:
        return oversize(incoming, raw_sha)
    kind = _kind(incoming)
    if kind == "loose":
        return _loose(incoming, raw_sha)
    envelope = Envelope(store=store)
    if kind == "msg":
        parse_msg(incoming.data, envelope, attach)
    else:
        parse_eml(store.path(raw_sha), envelope)  # from the file: see eml.py
    return Message(
        id=message_id_of(raw_sha),
        sha256=raw_sha,
        source=incoming.source,
        message_id=envelope.message_id,
        sender=envelope.sender,
        subject=envelope.subject,
        body=envelope.body,
        received_at=arrival(incoming, envelope),
        dated_at=envelope.dated_at,
        attachments=tuple(envelope.attachments),
        problems=tuple(envelope.problems),
        authentication=tuple(envelope.authentication),
    )


def arrival(incoming: Incoming, envelope: Envelope) -> datetime:
    """When the council received the email, never the sender's own clock first: a mailbox's
    own received time; for a file in the drop folder the time our mail server stamped on it
    (topmost Received, an Outlook file's delivery time), else its Date header, though never
    later than the file's own arrival in the folder."""
    arrived = aware(incoming.arrived_at)
    if incoming.source in MAILBOX_SOURCES:
        return arrived
    if envelope.received_at is not None:
        return envelope.received_at
    return min(envelope.dated_at, arrived) if envelope.dated_at is not None else arrived


def oversize(incoming: Incoming, raw_sha: str) -> Message:
    """An email too big to parse: who sent it and about what, from its first headers only."""
    head = BytesHeaderParser(policy=policy.default).parsebytes(incoming.data[:HEADER_BYTES])
    sender = [a for _, a in getaddresses([str(head.get("From", ""))]) if "@" in a]
    return Message(
        id=message_id_of(raw_sha),
        sha256=raw_sha,
        source=incoming.source,
        message_id=None,
        sender=sender[0].lower() if sender else None,
        subject=" ".join(str(head.get("Subject", incoming.filename)).split()),
        received_at=aware(incoming.arrived_at),
        attachments=(),
        oversize=True,
    )


def _kind(incoming: Incoming) -> str:
    ext = extension(incoming.filename)
    if ext == ".msg" or (ext == "" and incoming.data.startswith(OLE_MAGIC)):
        return "msg"
    if ext == ".eml" or looks_like_rfc822(incoming.data):
        return "eml"
    return "loose"


def _loose(incoming: Incoming, raw_sha: str) -> Message:
    """A document dropped on its own: a message of one attachment, the file itself."""
    name = safe_filename(incoming.filename, 1)
    content_type = mimetypes.guess_type(name)[0] or OCTET_STREAM
    attachment = Attachment(
        filename=name, sha256=raw_sha, size=len(incoming.data), content_type=content_type
    )
    return Message(
        id=message_id_of(raw_sha),
        sha256=raw_sha,
        source=incoming.source,
        message_id=None,
        sender=None,
        subject=name,
        received_at=aware(incoming.arrived_at),
        attachments=(attachment,),
        loose=True,
    )
