"""A sample referral as the email a SENCo sends: headers, a short note, the attachments.

The bytes depend only on the referral: the Message-ID and MIME boundary come from its seed
and every attachment is rendered with fixed timestamps, so the same seed gives the same file.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import PurePath
from typing import Protocol

from pipeline.samples.case import SampleReferral
from pipeline.samples.docx_form import render_ipn_docx
from pipeline.samples.extras import render_extra
from pipeline.samples.supporting import render_supporting_pdf
from pipeline.samples.xlsx_map import render_provision_map

DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
TYPES = {
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
    ".pdf": ("application", "pdf"),
    ".msg": ("application", "vnd.ms-outlook"),
    ".doc": ("application", "msword"),
}


def attachments(referral: SampleReferral) -> list[tuple[str, bytes]]:
    """(filename, bytes) of every file the email carries, in the order it carries them."""
    files: list[tuple[str, bytes]] = []
    if referral.include_form:
        files.append((referral.form_filename, render_ipn_docx(referral)))
    if referral.include_map:
        files.append((referral.map_filename, render_provision_map(referral)))
    if referral.include_supporting:
        files.append((referral.supporting_filename, render_supporting_pdf(referral)))
    files.extend(render_extra(referral, key) for key in referral.extras)
    return files


def render_email(referral: SampleReferral) -> bytes:
    """One .eml file: the referral as its school sends it to the cluster mailbox."""
    return email_bytes(referral, attachments(referral))


class Envelope(Protocol):
    """What the email of any sample request says about itself."""

    @property
    def sender(self) -> str: ...
    @property
    def sender_name(self) -> str: ...
    @property
    def mailbox(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def message_id(self) -> str: ...


def email_bytes(envelope: Envelope, files: list[tuple[str, bytes]]) -> bytes:
    """The .eml of a sample request carrying ``files`` (filename, bytes), in that order."""
    message = EmailMessage(policy=SMTP)
    local, _, domain = envelope.sender.partition("@")
    message["From"] = Address(envelope.sender_name, local, domain)
    message["To"] = envelope.mailbox
    message["Subject"] = envelope.subject
    message["Date"] = format_datetime(envelope.received_at)
    message["Message-ID"] = envelope.message_id
    message.set_content(envelope.body)
    for filename, data in files:
        maintype, subtype = TYPES[PurePath(filename).suffix.lower()]
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    digest = hashlib.sha256(envelope.message_id.encode()).hexdigest()[:32]
    message.set_boundary(f"===============sample{digest}==")
    return message.as_bytes(policy=SMTP)


def resend(referral: SampleReferral) -> SampleReferral:
    """The same referral sent again a little later by the school office: new sender, Date,
    Message-ID and note; same files. (The same sender sending the same files again within 30
    days is a second delivery of one email, recorded and not processed: no finding to show.)"""
    digest = hashlib.sha256(f"resend {referral.message_id}".encode()).hexdigest()
    domain = referral.sender.partition("@")[2]
    body = (
        f"Hello,\n\nOn behalf of {referral.sender_name}, I am resending this referral in case "
        "the first email did not come through.\n\nKind regards,\nSchool Office\n"
    )
    return referral.model_copy(
        update={
            "received_at": referral.received_at + timedelta(hours=1, minutes=int(digest[:2], 16)),
            "message_id": f"<{digest[:16]}.{digest[16:24]}@{domain}>",
            "body": body,
            "sender": f"office@{domain}",
            "send_twice": False,
        }
    )


def render_emails(referral: SampleReferral) -> tuple[bytes, ...]:
    """One email, or two when the referral is sent twice (duplicate_submission)."""
    if referral.send_twice:
        return duplicate_pair(referral)
    return (render_email(referral),)


def duplicate_pair(referral: SampleReferral) -> tuple[bytes, bytes]:
    """Two emails whose attachments are byte-identical but whose headers and notes differ."""
    first = referral.model_copy(update={"send_twice": False})
    return render_email(first), render_email(resend(first))
