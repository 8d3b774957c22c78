"""A corpus of hostile emails, each labelled with its kind and what the pipeline should make of it.

The mailbox is open to the internet: anyone can send a zip bomb, an entity bomb, an encrypted
or truncated file, an executable under a harmless name, an attachment named ``../../x`` or a
MIME structure no mail client would write. Each kind here is one such email (or one raw file
dropped in the inbox), made afresh by :mod:`testkit.reliability.files` and the raw MIME
builders of :mod:`testkit.reliability.raw_mail`. ``expect`` names the finding codes the email
must get (empty: processed safely, whatever it finds), ``says`` words one of those findings
must contain.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from pipeline.atomic import write_atomic
from pipeline.config import Config
from testkit.reliability import files
from testkit.reliability.mime import mime_kinds
from testkit.reliability.raw_mail import Hostile, attachment, sender_of

UNREADABLE, BLOCKED = "unreadable_document", "blocked_file_type"


def corpus(config: Config, *, huge: bool = True) -> list[Hostile]:
    """Every hostile kind, once. ``huge=False`` leaves out the over-size attachment."""
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
    ``NNN-clean.eml`` of :func:`testkit.samples.generate`); the inbox name -> its kind."""
    written: dict[str, Hostile] = {}
    for index, hostile in enumerate(kinds, start=start):
        name = f"{index:03d}-hostile-{hostile.name}"
        write_atomic(folder / name, hostile.data)
        written[name] = hostile
    return written
