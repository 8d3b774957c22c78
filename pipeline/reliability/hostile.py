"""A corpus of hostile emails, each labelled with its kind and what the pipeline should make of it.

The mailbox is open to the internet: anyone can send a zip bomb, an entity bomb, an encrypted
or truncated file, an executable under a harmless name, an attachment named ``../../x`` or a
MIME structure no mail client would write. Each kind here is one such email (or one raw file
dropped in the inbox), made afresh by :mod:`pipeline.reliability.files` and the raw MIME
builders below. ``expect`` names the finding codes the email must get (empty: processed
safely, whatever it finds), ``says`` words one of those findings must contain.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pipeline.atomic import write_atomic
from pipeline.config import Config
from pipeline.reliability import files

UNREADABLE, BLOCKED = "unreadable_document", "blocked_file_type"


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


def corpus(config: Config, *, huge: bool = True) -> list[Hostile]:
    """Every hostile kind, once. ``huge=False`` leaves out the over-size attachment."""
    from pipeline.reliability.mime import mime_kinds  # the malformed-mail half of the corpus

    sender = sender_of(config)
    docx, xlsx, pdf = files.plain_docx(), files.plain_xlsx(), files.text_pdf()
    unreadable = (UNREADABLE,)

    def doc(
        kind: str,
        group: str,
        name: str,
        make: Callable[[], bytes],
        says: str = "",
        expect: tuple[str, ...] = unreadable,
    ) -> Hostile:
        return attachment(kind, group, name, make(), sender=sender, expect=expect, says=says)

    def blocked(kind: str, name: str, data: bytes) -> Hostile:
        return attachment(
            kind,
            "blocked files",
            name,
            data,
            sender=sender,
            expect=(BLOCKED,),
            says="quarantine",
            never_opened=True,
        )

    kinds = [
        doc(
            "zip_bomb_docx",
            "zip bombs",
            "Referral.docx",
            lambda: files.zip_bomb(docx, "word/document.xml", 300),
            "zip bomb",
        ),
        doc(
            "zip_bomb_xlsx",
            "zip bombs",
            "Provision map.xlsx",
            lambda: files.zip_bomb(xlsx, "xl/worksheets/sheet1.xml", 60),
            "zip bomb",
        ),
        doc(
            "many_members_docx",
            "zip bombs",
            "Referral.docx",
            lambda: files.many_members(docx),
            "zip bomb",
        ),
        doc("lying_sizes_docx", "zip bombs", "Referral.docx", lambda: files.lying_sizes(docx)),
        doc(
            "entity_bomb_docx",
            "XML entities",
            "Referral.docx",
            files.entity_docx,
            "entity declarations",
        ),
        doc(
            "external_entity_docx",
            "XML entities",
            "Referral.docx",
            lambda: files.entity_docx(external=True),
            "entity declarations",
        ),
        doc(
            "entity_bomb_xlsx",
            "XML entities",
            "Provision map.xlsx",
            files.entity_xlsx,
            "entity declarations",
        ),
        doc(
            "encrypted_pdf",
            "encrypted files",
            "Referral.pdf",
            files.encrypted_pdf,
            "password protected",
        ),
        doc(
            "encrypted_docx",
            "encrypted files",
            "Referral.docx",
            lambda: files.encrypted_office(docx),
            "password protected",
        ),
        doc(
            "encrypted_xlsx",
            "encrypted files",
            "Provision map.xlsx",
            lambda: files.encrypted_office(xlsx),
            "password protected",
        ),
        doc("truncated_docx", "damaged files", "Referral.docx", lambda: docx[: len(docx) // 2]),
        doc(
            "truncated_xlsx", "damaged files", "Provision map.xlsx", lambda: xlsx[: len(xlsx) // 2]
        ),
        doc(
            "truncated_pdf", "damaged files", "Report.pdf", lambda: pdf[: len(pdf) // 2], expect=()
        ),
        doc("zero_byte_docx", "damaged files", "Referral.docx", lambda: b"", "empty"),
        doc("zero_byte_pdf", "damaged files", "Report.pdf", lambda: b"", "empty"),
        doc(
            "pdf_not_a_pdf",
            "damaged files",
            "Report.pdf",
            lambda: b"<html><body>Not a PDF at all</body></html>",
        ),
        doc(
            "garbage_msg_attachment",
            "damaged files",
            "Forwarded.msg",
            lambda: files.OLE_MAGIC + random.Random(3).randbytes(4096),
            expect=(),
        ),
        doc("pdf_5000_pages", "costly files", "Report.pdf", files.long_pdf, expect=()),
        doc(
            "formula_bomb_xlsx", "costly files", "Provision map.xlsx", files.formula_bomb, expect=()
        ),
        blocked("macro_docm", "Referral.docm", docx),
        blocked("macro_xlsm", "Provision map.xlsm", xlsx),
        blocked("executable_exe", "Referral.exe", b"MZ" + bytes(1022)),
        blocked("script_js", "invoice.js", b"WScript.Echo('hello');"),
        blocked("double_extension", "Referral.pdf.exe", b"MZ" + bytes(1022)),
        blocked("trailing_dot", "Referral.exe.", b"MZ" + bytes(1022)),
        blocked("rtl_override", "Referral\u202excod.exe", b"MZ" + bytes(1022)),
        blocked("upper_case_extension", "REFERRAL.EXE", b"MZ" + bytes(1022)),
        blocked("macros_named_xlsx", "Provision map.xlsx", files.with_macros(xlsx)),
        blocked(
            "macros_named_docx", "Referral.docx", files.with_macros(docx, "word/vbaProject.bin")
        ),
        blocked("program_named_pdf", "Report.pdf", files.windows_program()),
        *_names(sender, docx),
        *mime_kinds(sender, docx),
    ]
    if huge:
        size = int(config.intake.max_attachment_mb * files.MB) + files.MB
        kinds.append(
            doc(
                "oversize_attachment",
                "over-size files",
                "Scan.pdf",
                lambda: b"%PDF-1.4\n" + random.Random(5).randbytes(size),
                "larger than",
            )
        )
    return kinds


def _names(sender: str, docx: bytes) -> list[Hostile]:
    names = {
        "name_traversal": "../../../../tmp/evil.docx",
        "name_absolute_windows": "C:\\Windows\\System32\\evil.docx",
        "name_absolute_unix": "/etc/cron.d/evil.docx",
        "name_very_long": "A" * 5000 + ".docx",
        "name_control_chars": "Refer\x00ral\r\nBcc: x@evil.example\x07.docx",
        "name_reserved": "CON.docx",
        "name_dots_only": "....",
        "name_empty": "",
    }
    return [
        attachment(kind, "hostile names", name, docx, sender=sender) for kind, name in names.items()
    ]


def write_corpus(folder: Path, kinds: list[Hostile], *, start: int = 1) -> dict[str, Hostile]:
    """Write each hostile email into ``folder`` as ``NNN-hostile-<kind>`` (sorting just after
    ``NNN-clean.eml`` of :func:`pipeline.samples.generate`); the inbox name -> its kind."""
    written: dict[str, Hostile] = {}
    for index, hostile in enumerate(kinds, start=start):
        name = f"{index:03d}-hostile-{hostile.name}"
        write_atomic(folder / name, hostile.data)
        written[name] = hostile
    return written
