"""A sample request of any kind as the email its school sends: headers, a note, the files.

The bytes depend only on the request: the MIME boundary comes from its Message-ID and every
attachment is rendered with fixed timestamps, so the same seed gives the same file.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import PurePath
from typing import TypeVar

from testkit.samples.case import SampleReferral
from testkit.samples.extras import render_extra
from testkit.samples.kinds.form import SampleForm
from testkit.samples.request import SampleRequest
from testkit.samples.supporting import render_supporting_pdf
from testkit.samples.word import render_form
from testkit.samples.xlsx_map import render_provision_map

DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
TYPES = {
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
    ".pdf": ("application", "pdf"),
    ".msg": ("application", "vnd.ms-outlook"),
    ".doc": ("application", "msword"),
    ".xls": ("application", "vnd.ms-excel"),
    ".ods": ("application", "vnd.oasis.opendocument.spreadsheet"),
}
S = TypeVar("S", bound=SampleRequest)


def attachments(sample: SampleRequest) -> list[tuple[str, bytes]]:
    """(filename, bytes) of every file the email carries, in the order it carries them."""
    files: list[tuple[str, bytes]] = []
    if sample.include_form:
        files.append((sample.form_filename, render_form(sample)))
    pupil = pupil_of(sample)
    if pupil is not None and sample.include_map:
        files.append((pupil.map_filename, render_provision_map(pupil)))
    if isinstance(sample, SampleReferral):
        if sample.include_supporting:
            files.append((sample.supporting_filename, render_supporting_pdf(sample)))
        files.extend(render_extra(sample, key) for key in sample.extras)
    return files


def pupil_of(sample: SampleRequest) -> SampleReferral | None:
    """The referral whose provision map goes with the request: its own, or its pupil's."""
    if isinstance(sample, SampleReferral):
        return sample
    return sample.referral if isinstance(sample, SampleForm) else None


def render_email(sample: SampleRequest) -> bytes:
    """One .eml file: the request as its school sends it to the cluster mailbox."""
    return email_bytes(sample, attachments(sample))


def email_bytes(envelope: SampleRequest, files: list[tuple[str, bytes]]) -> bytes:
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


def resend(sample: S) -> S:
    """The same request sent again a little later by the school office: new sender, Date,
    Message-ID and note; same files. (The same sender sending the same files again within 30
    days is a second delivery of one email, recorded and not processed: no finding to show.)"""
    digest = hashlib.sha256(f"resend {sample.message_id}".encode()).hexdigest()
    domain = sample.sender.partition("@")[2]
    body = (
        f"Hello,\n\nOn behalf of {sample.sender_name}, I am resending this referral in case "
        "the first email did not come through.\n\nKind regards,\nSchool Office\n"
    )
    return sample.model_copy(
        update={
            "received_at": sample.received_at + timedelta(hours=1, minutes=int(digest[:2], 16)),
            "message_id": f"<{digest[:16]}.{digest[16:24]}@{domain}>",
            "body": body,
            "sender": f"office@{domain}",
            "send_twice": False,
        }
    )


def render_emails(sample: SampleRequest) -> tuple[bytes, ...]:
    """The request's email, preceded by the earlier request's when it has one, or sent twice
    (duplicate_submission)."""
    if sample.send_twice:
        return duplicate_pair(sample)
    earlier = () if sample.earlier is None else render_emails(sample.earlier)
    return (*earlier, render_email(sample))


def duplicate_pair(sample: SampleRequest) -> tuple[bytes, bytes]:
    """Two emails whose attachments are byte-identical but whose headers and notes differ."""
    first = sample.model_copy(update={"send_twice": False})
    return render_email(first), render_email(resend(first))
