"""A sample request as the email its school sends: headers, a short note, the attachments.

The bytes depend only on the sample (the MIME boundary comes from its Message-ID and every
file is rendered with fixed timestamps), so the same seed gives the same file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import PurePath

from pipeline.samples.email_message import TYPES
from pipeline.samples.forms.case import SampleForm
from pipeline.samples.xlsx_map import render_provision_map

RenderForm = Callable[[SampleForm], bytes]


def attachments(sample: SampleForm, render_form: RenderForm) -> list[tuple[str, bytes]]:
    """(filename, bytes) of every file the email carries, in the order it carries them."""
    files = [(sample.form_filename, render_form(sample))]
    if sample.referral is not None and sample.include_map:
        files.append((sample.referral.map_filename, render_provision_map(sample.referral)))
    return files


def render_email(sample: SampleForm, render_form: RenderForm) -> bytes:
    """One .eml file: the request as its school sends it to the cluster mailbox."""
    message = EmailMessage(policy=SMTP)
    local, _, domain = sample.sender.partition("@")
    message["From"] = Address(sample.sender_name, local, domain)
    message["To"] = sample.mailbox
    message["Subject"] = sample.subject
    message["Date"] = format_datetime(sample.received_at)
    message["Message-ID"] = sample.message_id
    message.set_content(sample.body)
    for filename, data in attachments(sample, render_form):
        maintype, subtype = TYPES[PurePath(filename).suffix.lower()]
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    digest = hashlib.sha256(sample.message_id.encode()).hexdigest()[:32]
    message.set_boundary(f"===============sample{digest}==")
    return message.as_bytes(policy=SMTP)


def render_emails(sample: SampleForm, render_form: RenderForm) -> tuple[bytes, ...]:
    """The sample's email, preceded by the earlier request's when it has one."""
    earlier = () if sample.earlier is None else render_emails(sample.earlier, render_form)
    return (*earlier, render_email(sample, render_form))
