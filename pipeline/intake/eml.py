"""RFC 822 email (.eml) -> Envelope. Malformed MIME becomes problems, never an exception.

The email is parsed from its stored file, never from bytes in memory: ``parsebytes`` decodes
the whole email to a str and copies that into a StringIO, about six times the email at once,
where reading the file holds about once its size (the parts' encoded text). A base64 part is
decoded straight from that text: ``get_payload(decode=True)`` makes four copies of it first.
"""

from __future__ import annotations

import binascii
import io
import re
from datetime import datetime
from email import headerregistry, policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.intake.body_pictures import html_parts, in_mime_body, shown_ids
from pipeline.intake.containers import attach
from pipeline.intake.envelope import Envelope, aware, decode_lenient, html_to_text

_MAX_DEPTH = 5  # forwarded emails inside forwarded emails
_MAX_PART_DEPTH = 40  # multiparts inside multiparts; real mail nests three or four deep
_HEADER_LINE = re.compile(rb"[!-9;-~]+:")
_MAIL_HEADERS = frozenset(
    {b"from", b"to", b"date", b"subject", b"message-id", b"mime-version", b"received"}
)
_ATTACHED_EMAIL = ("message/rfc822", "message/global")
# Base64 text the strict decoder would take whole: the alphabet, line breaks, padding at the end.
_CLEAN_BASE64 = re.compile(r"[A-Za-z0-9+/\r\n]*(?:=[\r\n]*){0,2}")
# Parts that carry no document: PGP/MIME's "Version: 1" control part and detached signatures.
_NOT_DOCUMENTS = frozenset(
    {
        "application/pgp-encrypted",
        "application/pgp-signature",
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
    }
)


def looks_like_rfc822(data: bytes) -> bool:
    """Whether the bytes open with a block of mail headers (From:, Date:, Subject: ...)."""
    lines = data[:65536].splitlines()
    if len(data) > 65536:
        lines = lines[:-1]  # the last line may be cut short
    names: set[bytes] = set()
    for line in lines:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        names.add(match.group()[:-1].lower())
    return len(names & _MAIL_HEADERS) >= 2


def parse_eml(path: Path, envelope: Envelope) -> None:
    """Read headers, body and every attachment (stored as it is found) into ``envelope``;
    ``path`` is the email's file in the store."""
    try:
        with path.open("rb") as stream:
            msg = _parse(stream)
    except RecursionError:  # thousands of nested parts: the stdlib parser recurses per level
        envelope.problem("email: parts nested too deeply to read; its attachments not taken")
        with path.open("rb") as stream:
            msg = _parse(stream, headers_only=True)
    envelope.subject = _header_text(msg, "Subject", envelope) or ""
    envelope.message_id = _header_text(msg, "Message-ID", envelope) or None
    envelope.sender = _sender(msg)
    envelope.dated_at = _date(msg, envelope)
    envelope.received_at = topmost_received(msg)
    envelope.body = _body(msg)
    envelope.authentication = [str(v) for v in msg.get_all("Authentication-Results") or []]
    _collect(msg, envelope, depth=0, label="email", shown=_shown(msg))


def _shown(msg: Message) -> frozenset[str]:
    """The Content-IDs of the pictures the email's own HTML body shows."""
    return shown_ids(
        decode_lenient(_payload(part), part.get_content_charset()) for part in html_parts(msg)
    )


def _parse(stream: BinaryIO, *, headers_only: bool = False) -> EmailMessage:
    parser = BytesParser(policy=policy.default.clone(header_factory=_ParsedHeaders()))
    parsed = parser.parse(stream, headersonly=headers_only)
    assert isinstance(parsed, EmailMessage)  # guaranteed by policy.default
    return parsed


class _ParsedHeaders:
    """The standard header registry, remembering each header it parsed for one email.

    ``policy.default`` parses a header's value again each time it is asked for: a part's
    Content-Type is read half a dozen times (by the parser itself, the body, the pictures, the
    attachments), the most CPU an email costs. Header objects are immutable, so the same
    name and value give back the same object; the memory lasts as long as the email's parse.
    """

    def __init__(self) -> None:
        self._registry = headerregistry.HeaderRegistry()
        self._parsed: dict[tuple[str, str], Any] = {}

    def __call__(self, name: str, value: str) -> Any:
        key = (name, value)
        header = self._parsed.get(key)
        if header is None:
            header = self._parsed[key] = self._registry(name, value)
        return header


def _raw_header(msg: Message, name: str) -> str | None:
    """The header as sent; 8-bit bytes the parser kept as surrogates are decoded leniently."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            raw = str(value)
            if any("\udc80" <= ch <= "\udcff" for ch in raw):
                raw = decode_lenient(raw.encode("ascii", "surrogateescape"), None)
            return raw
    return None


def _header_text(msg: Message, name: str, envelope: Envelope) -> str | None:
    raw = _raw_header(msg, name)
    if raw is None:
        return None
    text = raw
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:  # RFC 2047 decoding of a broken header: keep the raw text
        envelope.problem(f"email: {name} header could not be decoded")
    return " ".join(text.split())


def _sender(msg: Message) -> str | None:
    raw = _raw_header(msg, "From")
    if raw is None:
        return None
    addresses = [addr for _, addr in getaddresses([raw]) if "@" in addr]
    return addresses[0].lower() if addresses else None


def topmost_received(msg: Message) -> datetime | None:
    """When the first server on our side took the email: the time stamp of the topmost
    Received header (each server adds its own above the others, so the first by position is
    the last hop, ours); None when there is none or it cannot be read."""
    stamp = (_raw_header(msg, "Received") or "").rpartition(";")[2].strip()
    if not stamp:
        return None
    try:
        return aware(parsedate_to_datetime(" ".join(stamp.split())))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _date(msg: Message, envelope: Envelope) -> datetime | None:
    raw = _raw_header(msg, "Date")
    if raw is None:
        return None
    try:
        return aware(parsedate_to_datetime(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        envelope.problem("email: Date header could not be read")
        return None


def _body(msg: EmailMessage) -> str:
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # a broken structure only costs the body, never the attachments
        return ""
    if part is None:
        return ""
    text = decode_lenient(_payload(part), part.get_content_charset())
    return html_to_text(text) if part.get_content_type() == "text/html" else text.strip()


def _payload(part: Message) -> bytes:
    """The part's content, decoded; damage in it is recorded in ``part.defects``."""
    if str(part.get("Content-Transfer-Encoding", "")).lower() == "base64":
        text = part.get_payload()
        if isinstance(text, str) and _clean_base64(text):
            return binascii.a2b_base64(text)
    payload = part.get_payload(decode=True)  # lenient, and records what it had to mend
    return payload if isinstance(payload, bytes) else b""


def _clean_base64(text: str) -> bool:
    """Whether ``text`` decodes with nothing to mend (as get_payload's first, strict, try)."""
    breaks = text.count("\r") + text.count("\n")
    return (len(text) - breaks) % 4 == 0 and _CLEAN_BASE64.fullmatch(text) is not None


def _collect(
    part: Message, envelope: Envelope, *, depth: int, label: str, shown: frozenset[str]
) -> None:
    content_type = part.get_content_type()
    if depth > 0 and content_type in _ATTACHED_EMAIL:
        _attached_email(part, envelope, depth=depth)
    elif part.is_multipart() and depth >= _MAX_PART_DEPTH:
        envelope.problem(f"{label}: parts nested too deeply, inner attachments not taken")
    elif part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                _collect(sub, envelope, depth=depth + 1, label=label, shown=shown)
    elif in_mime_body(part, _raw_header(part, "Content-ID"), shown):
        pass  # a picture of the body (a signature logo): it stays in the stored email
    elif content_type not in _NOT_DOCUMENTS:
        name = _filename(part, envelope)
        if name or _is_attachment(part):
            attach(envelope, name, _payload(part), content_type, depth=0)
    for defect in part.defects:
        envelope.problem(f"{label}: {_describe(defect)}")


def _attached_email(part: Message, envelope: Envelope, *, depth: int) -> None:
    """Keep the forwarded email whole as a .eml, then take its own attachments too."""
    inner = part.get_payload()
    try:
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            parsed, data = inner[0], inner[0].as_bytes()
        else:  # sent base64-encoded, against RFC 2046, so the parser left it opaque
            data = _payload(part)
            parsed = _parsed_attached(data, envelope)
    except Exception:
        envelope.problem("attached email: could not be re-serialised")
        return
    name = _filename(part, envelope) or _header_text(parsed, "Subject", envelope)
    name = (name or "attached-email").removesuffix(".eml") + ".eml"
    envelope.attach(name, data, "message/rfc822")
    del data  # stored: only the parsed parts are needed from here
    if depth >= _MAX_DEPTH:
        envelope.problem("attached email: nested too deeply, inner attachments not taken")
        return
    _collect(parsed, envelope, depth=depth + 1, label="attached email", shown=_shown(parsed))


def _parsed_attached(data: bytes, envelope: Envelope) -> Message:
    try:
        return _parse(io.BytesIO(data))
    except RecursionError:
        envelope.problem("attached email: parts nested too deeply to read")
        return _parse(io.BytesIO(data), headers_only=True)


def _is_attachment(part: Message) -> bool:
    """A named part, a part marked attachment, or any leaf that is not text."""
    return part.get_content_disposition() == "attachment" or part.get_content_maintype() != "text"


def _filename(part: Message, envelope: Envelope) -> str | None:
    try:
        return part.get_filename()
    except Exception:  # a malformed parameter: the part is kept under a generated name
        envelope.problem("email: an attachment name could not be read")
        return None


def _describe(defect: Exception) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", type(defect).__name__.removesuffix("Defect"))
    return words.lower()
