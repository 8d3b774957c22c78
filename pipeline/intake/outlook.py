"""Outlook .msg (an OLE compound file) -> Envelope, through extract-msg. Never raises."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from email.utils import getaddresses
from typing import Any

from pipeline.errors import StoreError
from pipeline.intake.body_pictures import is_picture, normal_id, shown_ids
from pipeline.intake.envelope import Envelope, aware

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_DEPTH = 5
_OUTLOOK_TYPE = "application/vnd.ms-outlook"
# The SMTP address streams, for when the sender property holds a display name only.
_ADDRESS_STREAMS = ("__substg1.0_5D01", "__substg1.0_0C1F", "__substg1.0_0065")

log = logging.getLogger(__name__)
# Keeps one attachment and unpacks what it wraps (containers.attach, passed in because an
# attached .msg can wrap a winmail.dat and the other way round).
Attach = Callable[[Envelope, str | None, bytes, str | None, int], None]


def parse_msg(data: bytes, envelope: Envelope, attach: Attach) -> None:
    """Fill ``envelope`` from an Outlook message; a file extract-msg refuses becomes a problem."""
    try:
        with _opened(data) as msg:
            _read(msg, envelope, attach, depth=0)
    except StoreError:
        raise
    except Exception as exc:  # extract-msg raises many kinds on damaged files
        log.warning("Outlook message could not be read: %s", type(exc).__name__)
        # Half a message would be judged as if whole (a "missing" provision map): keep none.
        envelope.attachments.clear()
        envelope.problem(f"Outlook message could not be read ({type(exc).__name__})")


def read_attached_msg(data: bytes, envelope: Envelope, attach: Attach, *, depth: int) -> None:
    """Take the attachments of an Outlook message attached to an email (already kept whole)."""
    try:
        with _opened(data) as msg:
            _read(msg, envelope, attach, depth=depth)
    except StoreError:
        raise
    except Exception as exc:  # extract-msg raises many kinds on damaged files
        log.warning("attached Outlook message could not be read: %s", type(exc).__name__)
        envelope.problem(f"attached Outlook message could not be read ({type(exc).__name__})")


def _opened(data: bytes) -> Any:
    """extract-msg's reading of the message, its errors in attachments kept quiet.

    extract-msg is imported here, for the few Outlook files: it takes a second to import,
    which every run paid at start-up before."""
    import extract_msg
    from extract_msg.enums import ErrorBehavior

    return extract_msg.openMsg(data, errorBehavior=ErrorBehavior.ATTACH_SUPPRESS_ALL)


def _read(msg: Any, envelope: Envelope, attach: Attach, *, depth: int) -> None:
    if depth == 0:
        envelope.subject = _text(getattr(msg, "subject", None))
        envelope.sender = _sender(msg)
        envelope.body = _text(getattr(msg, "body", None))
        envelope.message_id = _text(getattr(msg, "messageId", None)) or None
        date = getattr(msg, "date", None)
        envelope.dated_at = aware(date) if isinstance(date, datetime) else None
        delivered = getattr(msg, "receivedTime", None)  # PR_MESSAGE_DELIVERY_TIME: our mailbox's
        envelope.received_at = aware(delivered) if isinstance(delivered, datetime) else None
    shown = shown_ids([_html_body(msg)])
    for attachment in getattr(msg, "attachments", ()):
        _attachment(attachment, envelope, attach, depth=depth, shown=shown)


def _html_body(msg: Any) -> str:
    """The message's HTML body, if it has one (to see which pictures it shows)."""
    try:
        html = getattr(msg, "htmlBody", None)
    except Exception:  # extract-msg derives it from the RTF body when absent, which can fail
        return ""
    if isinstance(html, bytes):
        return html.decode("utf-8", errors="replace")
    return html if isinstance(html, str) else ""


def _in_body(attachment: Any, name: str, shown: frozenset[str]) -> bool:
    """A picture the message's HTML body shows (a signature logo): part of the body."""
    content_id = _text(getattr(attachment, "cid", None))
    content_type = _text(getattr(attachment, "mimetype", None)) or None
    return bool(content_id) and normal_id(content_id) in shown and is_picture(content_type, name)


def _attachment(
    attachment: Any, envelope: Envelope, attach: Attach, *, depth: int, shown: frozenset[str]
) -> None:
    name = _text(
        getattr(attachment, "longFilename", None) or getattr(attachment, "shortFilename", None)
    )
    data = getattr(attachment, "data", None)
    if _in_body(attachment, name, shown):
        return  # it stays in the stored message
    if isinstance(data, bytes):
        content_type = _text(getattr(attachment, "mimetype", None)) or None
        attach(envelope, name or None, data, content_type, depth)
    elif isinstance(data, _msg_file()):  # an attached Outlook item: keep it, then recurse
        envelope.attach(name or "attached-email.msg", data.exportBytes(), _OUTLOOK_TYPE)
        if depth < _MAX_DEPTH:
            _read(data, envelope, attach, depth=depth + 1)
        else:
            envelope.problem("attached Outlook item: nested too deeply, its attachments not taken")
    else:
        envelope.problem("Outlook message: an attachment of an unsupported kind was skipped")


def _msg_file() -> Any:
    from extract_msg import MSGFile  # imported by _opened before any attachment is read

    return MSGFile


def _sender(msg: Any) -> str | None:
    candidates = [getattr(msg, "sender", None)]
    get_stream = getattr(msg, "getStringStream", None)
    if callable(get_stream):
        candidates += [get_stream(stream) for stream in _ADDRESS_STREAMS]
    for candidate in candidates:
        for _, address in getaddresses([_text(candidate)]):
            if "@" in address:
                return address.lower()
    return None


def _text(value: object) -> str:
    return value.replace("\x00", "").strip() if isinstance(value, str) else ""
