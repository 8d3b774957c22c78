"""The Message-ID of a raw email as sent: what a reply draft answers and a mailbox finds."""

from __future__ import annotations

from email.parser import BytesHeaderParser
from email.policy import compat32


def original_message_id(raw: bytes) -> str | None:
    """The Message-ID header of a raw email, as sent; None for a loose document or .msg."""
    headers = BytesHeaderParser(policy=compat32).parsebytes(raw)
    value = headers.get("Message-ID")
    return " ".join(str(value).split()) or None if value else None
