"""The raw email builders of the hostile corpus, and what each hostile email should get.

Kept apart from :mod:`testkit.reliability.hostile` (which lists the corpus) and
:mod:`testkit.reliability.mime` (its malformed-mail half) so both build on it and neither
imports the other's caller.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from urllib.parse import quote

from pipeline.config import Config
from testkit.reliability import files


@dataclass(frozen=True)
class Hostile:
    kind: str  # e.g. "zip_bomb_docx"
    group: str  # the row of the reliability table: "zip bombs", "blocked files" ...
    name: str  # the file written into the inbox
    data: bytes
    expect: tuple[str, ...] = ()
    says: str = ""
    never_opened: bool = False  # the parser pool must never see its attachment


def sender_of(config: Config) -> str:
    """An address the configuration accepts: the first setting domain, else a cluster one."""
    domains = [d for s in config.settings for d in s.domains] + list(config.senders.accept_domains)
    return f"senco@{domains[0] if domains else 'stoke.gov.uk'}"


def part(
    disposition: bytes, data: bytes, content_type: bytes = b"application/octet-stream"
) -> bytes:
    """One attachment part; ``disposition`` is the raw Content-Disposition parameters."""
    encoded = base64.encodebytes(data).replace(b"\n", b"\r\n")
    return (
        b"Content-Type: " + content_type + b"\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; " + disposition + b"\r\n\r\n" + encoded
    )


def named(filename: str) -> bytes:
    """A filename parameter in RFC 2231 form: any character, percent-encoded UTF-8."""
    return b"filename*=utf-8''" + quote(filename, safe="").encode()


def mail(
    sender: str,
    parts: list[bytes],
    *,
    subject: bytes = b"Referral",
    message_id: bytes = b"",
    boundary: bytes = b"==hostile-boundary==",
    declared: bytes | None = None,
) -> bytes:
    """A raw multipart email; ``declared`` overrides the boundary the header announces."""
    announced = boundary if declared is None else declared
    header = (
        b"From: " + sender.encode() + b"\r\nTo: CentralCluster@stoke.gov.uk\r\n"
        b"Subject: "
        + subject
        + b"\r\nDate: Wed, 01 Oct 2025 09:00:00 +0100\r\n"
        + (b"Message-ID: " + message_id + b"\r\n" if message_id else b"")
        + b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed"
        + (b'; boundary="' + announced + b'"' if announced else b"")
        + b"\r\n\r\n"
    )
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\nPlease see attached.\r\n"
    sections = b"".join(b"--" + boundary + b"\r\n" + p + b"\r\n" for p in [body, *parts])
    return header + sections + b"--" + boundary + b"--\r\n"


def attachment(
    kind: str,
    group: str,
    filename: str,
    data: bytes,
    *,
    sender: str,
    expect: tuple[str, ...] = (),
    says: str = "",
    never_opened: bool = False,
) -> Hostile:
    """An ordinary email carrying one hostile attachment."""
    email = mail(own_address(sender, kind), [part(named(filename), data)])
    return Hostile(kind, group, f"{kind}.eml", email, expect, says, never_opened)


def own_address(sender: str, kind: str) -> str:
    """A sender address for one kind: the same sender sending the same attachment again would
    be a second delivery of one email, recorded and not processed (register/deliveries.py)."""
    local, _, domain = sender.partition("@")
    return f"{local}.{kind.replace('_', '-')}@{domain}"


def nested(sender: str, depth: int) -> bytes:
    """Multiparts inside multiparts, ``depth`` deep."""
    opening = b"".join(
        b'Content-Type: multipart/mixed; boundary="n%d"\r\n\r\n--n%d\r\n' % (n, n)
        for n in range(depth)
    )
    closing = b"".join(b"\r\n--n%d--\r\n" % n for n in reversed(range(depth)))
    inner = part(named("deep.docx"), files.plain_docx())
    return (
        b"From: "
        + sender.encode()
        + b"\r\nSubject: Nested\r\nMIME-Version: 1.0\r\n"
        + opening
        + inner
        + closing
    )
