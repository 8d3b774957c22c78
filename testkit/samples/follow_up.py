"""Emails that continue or combine referrals: a follow-up sending a missing document later,
and one email carrying several pupils' referrals."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import PurePath

from testkit.samples.case import SampleReferral
from testkit.samples.email_message import TYPES, attachments, render_email


def follow_up(
    referral: SampleReferral,
    *,
    case_ref: str | None,
    days_later: int = 1,
    send_form: bool = False,
    send_map: bool = True,
) -> bytes:
    """The school's next email for the same referral: the documents it forgot, quoting the
    case reference when it has one."""
    quoted = f" [{case_ref}]" if case_ref else ""
    later = referral.model_copy(
        update={
            "include_form": send_form,
            "include_map": send_map,
            "include_supporting": False,
            "extras": (),
            "received_at": referral.received_at + timedelta(days=days_later),
            "subject": f"RE: {referral.subject}{quoted}",
            "body": "Hello,\n\nApologies, here is the missing document for this referral.\n\n"
            f"Kind regards,\n{referral.sender_name}\n",
            "message_id": _message_id(referral.message_id, f"follow-up-{days_later}"),
        }
    )
    return render_email(later)


def combined(referrals: Sequence[SampleReferral]) -> bytes:
    """One email from the first referral's sender carrying every referral's documents."""
    first = referrals[0]
    message = EmailMessage(policy=SMTP)
    local, _, domain = first.sender.partition("@")
    message["From"] = Address(first.sender_name, local, domain)
    message["To"] = first.mailbox
    message["Subject"] = f"{len(referrals)} IPN referrals"
    message["Date"] = format_datetime(max(r.received_at for r in referrals))
    message["Message-ID"] = _message_id(first.message_id, "combined")
    message.set_content(f"Please find attached {len(referrals)} referrals.\n")
    for referral in referrals:
        for filename, data in attachments(referral):
            maintype, subtype = TYPES[PurePath(filename).suffix.lower()]
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)


def _message_id(original: str, salt: str) -> str:
    digest = hashlib.sha256(f"{original}:{salt}".encode()).hexdigest()
    return f"<{digest[:16]}.{digest[16:24]}@{original.rpartition('@')[2].rstrip('>')}>"
