"""Attachments that wrap other attachments: Outlook's winmail.dat (TNEF) and an attached
Outlook message (.msg). Each is kept whole, and the documents inside are taken as attachments
of the email too, so a referral inside one is read like any other.

An attached .eml (message/rfc822) is unpacked by the MIME parser itself (:mod:`.eml`).
"""

from __future__ import annotations

import logging
import mimetypes

import tnefparse  # type: ignore[import-untyped]

from pipeline.intake.envelope import Envelope
from pipeline.intake.outlook import read_attached_msg
from pipeline.read.sniff import is_outlook_message

TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
TNEF_TYPES = ("application/ms-tnef", "application/vnd.ms-tnef")
OUTLOOK_TYPE = "application/vnd.ms-outlook"
MAX_DEPTH = 5

log = logging.getLogger(__name__)


def is_tnef(data: bytes) -> bool:
    return data.startswith(TNEF_SIGNATURE)


def is_container(data: bytes) -> bool:
    """Whether the bytes are a winmail.dat or an Outlook message, whatever they are called."""
    return is_tnef(data) or is_outlook_message(data)


def attach(
    envelope: Envelope, name: str | None, data: bytes, content_type: str | None, depth: int
) -> None:
    """Keep the attachment; if it wraps others, take those too (up to MAX_DEPTH deep)."""
    envelope.attach(name, data, content_type)
    if not is_container(data):
        return
    if depth >= MAX_DEPTH:
        envelope.problem(f"'{name}': nested too deeply, the documents inside it were not taken")
    elif is_tnef(data):
        _unpack_tnef(envelope, name or "winmail.dat", data, depth=depth)
    else:
        read_attached_msg(data, envelope, attach, depth=depth + 1)


def _unpack_tnef(envelope: Envelope, name: str, data: bytes, *, depth: int) -> None:
    try:
        wrapped = tnefparse.TNEF(data).attachments
    except Exception as exc:  # tnefparse raises many kinds on a damaged file
        log.warning("winmail.dat could not be unpacked: %s", type(exc).__name__)
        envelope.problem(f"'{name}' (an Outlook winmail.dat) could not be unpacked")
        return
    for inner in wrapped:
        inner_name = _text(inner.long_filename()) or _text(inner.name) or None
        guessed = mimetypes.guess_type(inner_name or "")[0]
        attach(envelope, inner_name, bytes(inner.data or b""), guessed, depth=depth + 1)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("cp1252", errors="replace")
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""
