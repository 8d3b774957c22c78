"""A sample request as the email its school sends: headers, a short note, the attachments.

The bytes depend only on the sample (the MIME boundary comes from its Message-ID and every
file is rendered with fixed timestamps), so the same seed gives the same file.
"""

from __future__ import annotations

from collections.abc import Callable

from testkit.samples.email_message import email_bytes
from testkit.samples.forms.case import SampleForm
from testkit.samples.xlsx_map import render_provision_map

RenderForm = Callable[[SampleForm], bytes]


def attachments(sample: SampleForm, render_form: RenderForm) -> list[tuple[str, bytes]]:
    """(filename, bytes) of every file the email carries, in the order it carries them."""
    files = [(sample.form_filename, render_form(sample))]
    if sample.referral is not None and sample.include_map:
        files.append((sample.referral.map_filename, render_provision_map(sample.referral)))
    return files


def render_email(sample: SampleForm, render_form: RenderForm) -> bytes:
    """One .eml file: the request as its school sends it to the cluster mailbox."""
    return email_bytes(sample, attachments(sample, render_form))


def render_emails(sample: SampleForm, render_form: RenderForm) -> tuple[bytes, ...]:
    """The sample's email, preceded by the earlier request's when it has one."""
    earlier = () if sample.earlier is None else render_emails(sample.earlier, render_form)
    return (*earlier, render_email(sample, render_form))
