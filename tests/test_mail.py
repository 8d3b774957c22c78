"""Intake of one raw message: safe names; .eml, .msg and loose files parsed, all stored first."""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from extract_msg.ole_writer import OleWriter

from pipeline.intake.filenames import extension, is_blocked, safe_filename
from pipeline.intake.mail import parse_incoming
from pipeline.intake.store import BlobStore, sha256_hex
from pipeline.models import Incoming, Message

ARRIVED = datetime(2025, 9, 30, 10, 0, tzinfo=UTC)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BLOCKED = (".exe", ".docm", ".js")


def incoming(data: bytes, filename: str = "mail.eml") -> Incoming:
    return Incoming(source="folder", ref=filename, filename=filename, data=data, arrived_at=ARRIVED)


def parse(tmp_path: Path, data: bytes, filename: str = "mail.eml") -> tuple[Message, BlobStore]:
    store = BlobStore(tmp_path / "store")
    return parse_incoming(incoming(data, filename), store), store


def referral_email(**attachments: bytes) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Jo Bloggs <SENCo@Example.sch.uk>"
    msg["To"] = "CentralCluster@stoke.gov.uk"
    msg["Subject"] = "IPN referral"
    msg["Date"] = "Tue, 30 Sep 2025 09:12:00 +0100"
    msg["Message-ID"] = "<ref-1@example.sch.uk>"
    msg.set_content("Please find the referral attached.")
    for name, data in attachments.items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg


# --- filenames ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../x.docx", "x.docx"),
        ("..\\..\\x.docx", "x.docx"),
        ("C:\\Users\\senco\\Referral.docx", "Referral.docx"),
        ("=?utf-8?q?R=C3=A9f=C3=A9rral.docx?=", "Référral.docx"),
        ("Referral:\t JS?\x00\x07.docx", "Referral JS.docx"),
        ("...hidden.docx", "hidden.docx"),
        ("report\u202excod.exe", "reportxcod.exe"),
        ("", "attachment-4.bin"),
        (None, "attachment-4.bin"),
        ("../", "attachment-4.bin"),
        ("CON.docx", "CON_.docx"),
    ],
)
def test_safe_filename_makes_display_names_without_folders(name: str | None, expected: str) -> None:
    assert safe_filename(name, 4) == expected


def test_safe_filename_caps_a_long_name_at_120_characters_keeping_the_extension() -> None:
    name = safe_filename("A" * 300 + ".docx", 1)

    assert len(name) == 120
    assert name.endswith("A.docx")


def test_extension_is_lower_case_with_its_dot() -> None:
    assert extension("Provision Map.XLSX") == ".xlsx"
    assert extension("README") == ""
    assert extension(".hidden") == ""


@pytest.mark.parametrize(
    "name",
    [
        "virus.exe",
        "report.pdf.exe",
        "Report.PDF.EXE",
        "report.exe.",
        "report.exe  ",
        "form.docm",
        "dir/../run.js",
        "report.exe::$DATA",
    ],
)
def test_is_blocked_catches_dangerous_names_however_disguised(name: str) -> None:
    assert is_blocked(name, BLOCKED)


@pytest.mark.parametrize("name", ["referral.docx", "map.xlsx", "exe.pdf", "Mr. Exe.docx"])
def test_is_blocked_lets_documents_through(name: str) -> None:
    assert not is_blocked(name, BLOCKED)


# --- .eml -----------------------------------------------------------------------------------


def test_eml_headers_become_the_message_envelope(tmp_path: Path) -> None:
    raw = referral_email().as_bytes()

    message, _ = parse(tmp_path, raw)

    assert message.id == "S-" + sha256_hex(raw)[:16]
    assert message.sha256 == sha256_hex(raw)
    assert message.source == "folder"
    assert message.sender == "senco@example.sch.uk"
    assert message.subject == "IPN referral"
    assert message.message_id == "<ref-1@example.sch.uk>"
    assert message.received_at == datetime(2025, 9, 30, 9, 12, tzinfo=timezone(timedelta(hours=1)))
    assert message.body == "Please find the referral attached."
    assert message.problems == ()


def test_eml_raw_bytes_and_every_attachment_are_stored_before_returning(tmp_path: Path) -> None:
    raw = referral_email(**{"referral.docx": b"DOCX BYTES", "map.xlsx": b"XLSX BYTES"}).as_bytes()

    message, store = parse(tmp_path, raw)

    assert store.has(message.sha256)
    assert [(a.filename, a.size) for a in message.attachments] == [
        ("referral.docx", 10),
        ("map.xlsx", 10),
    ]
    assert [store.read(a.sha256) for a in message.attachments] == [b"DOCX BYTES", b"XLSX BYTES"]


def test_eml_rfc2231_utf8_filename_is_decoded(tmp_path: Path) -> None:
    msg = referral_email()
    msg.add_attachment(
        b"x", maintype="application", subtype="pdf", filename=("utf-8", "", "Référral – Zoë.pdf")
    )
    assert "filename*=utf-8''" in msg.as_string()

    message, _ = parse(tmp_path, msg.as_bytes())

    assert [(a.filename, a.content_type) for a in message.attachments] == [
        ("Référral – Zoë.pdf", "application/pdf")
    ]


def test_eml_attachment_path_in_its_name_is_stripped(tmp_path: Path) -> None:
    message, _ = parse(
        tmp_path,
        referral_email(x=b"1").as_bytes().replace(b'filename="x"', b'filename="../../x.docx"'),
    )

    assert [a.filename for a in message.attachments] == ["x.docx"]


def test_eml_non_utf8_subject_is_read_not_a_crash(tmp_path: Path) -> None:
    raw = (
        b"From: senco@example.sch.uk\r\nSubject: R\xe9f\xe9rral for Zo\xeb\r\n"
        b"Date: Tue, 30 Sep 2025 09:12:00 +0100\r\n\r\nbody\r\n"
    )

    message, _ = parse(tmp_path, raw)

    assert message.subject == "Référral for Zoë"


def test_eml_without_date_takes_the_arrival_time(tmp_path: Path) -> None:
    message, _ = parse(tmp_path, b"From: a@b.sch.uk\r\nSubject: x\r\nDate: soon\r\n\r\nhi\r\n")

    assert message.received_at == ARRIVED
    assert message.problems == ("email: Date header could not be read",)


def test_eml_html_only_body_is_stripped_of_tags(tmp_path: Path) -> None:
    msg = referral_email()
    msg.set_content(
        "<html><style>p{}</style><p>Dear panel,<br>see &amp; act</p></html>", subtype="html"
    )

    message, _ = parse(tmp_path, msg.as_bytes())

    assert message.body == "Dear panel,\nsee & act"


def test_eml_attached_email_is_kept_and_its_attachments_are_taken(tmp_path: Path) -> None:
    forwarded = referral_email(**{"provision map.xlsx": b"MAP"})
    outer = referral_email()
    outer.replace_header("Subject", "Fwd: referral")
    outer.add_attachment(forwarded)

    message, store = parse(tmp_path, outer.as_bytes())

    assert [a.filename for a in message.attachments] == ["IPN referral.eml", "provision map.xlsx"]
    assert message.attachments[0].content_type == "message/rfc822"
    assert all(store.has(a.sha256) for a in message.attachments)
    assert store.read(message.attachments[1].sha256) == b"MAP"


def test_eml_malformed_mime_yields_problems_not_an_exception(tmp_path: Path) -> None:
    raw = (
        b"From: a@b.sch.uk\r\nSubject: broken\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        b"--XYZ\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
        b"--XYZ\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="a.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLj\r\n"
    )

    message, store = parse(tmp_path, raw)

    assert "email: close boundary not found" in message.problems
    assert [a.filename for a in message.attachments] == ["a.pdf"]
    assert store.has(message.sha256)


def test_bytes_that_look_like_mail_are_parsed_as_mail_whatever_their_name(tmp_path: Path) -> None:
    message, _ = parse(tmp_path, referral_email().as_bytes(), filename="0001")

    assert message.sender == "senco@example.sch.uk"


# --- loose documents --------------------------------------------------------------------------


def test_loose_docx_becomes_a_message_of_one_attachment_without_sender(tmp_path: Path) -> None:
    data = b"PK\x03\x04 a Word document"

    message, store = parse(tmp_path, data, filename="Referral JS.docx")

    assert message.sender is None
    assert message.subject == "Referral JS.docx"
    assert message.received_at == ARRIVED
    assert [(a.filename, a.sha256, a.size, a.content_type) for a in message.attachments] == [
        ("Referral JS.docx", sha256_hex(data), len(data), DOCX)
    ]
    assert store.read(message.sha256) == data


def test_the_message_id_is_the_same_on_every_run(tmp_path: Path) -> None:
    first, _ = parse(tmp_path / "a", b"PK\x03\x04 same", filename="one.docx")
    second, _ = parse(tmp_path / "b", b"PK\x03\x04 same", filename="renamed.docx")

    assert first.id == second.id


# --- .msg -------------------------------------------------------------------------------------
# Built with extract-msg's own OLE writer (the one it uses to export embedded messages): a real
# compound file with the MS-OXMSG streams Outlook writes, though not written by Outlook itself.
SENT = datetime(2025, 9, 30, 8, 12, tzinfo=UTC)


def outlook_msg(attachment_name: str, attachment: bytes) -> bytes:
    writer = OleWriter()
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    props = _strings(
        writer,
        "",
        {
            0x001A: "IPM.Note",
            0x0037: "Referral for Z",
            0x0C1A: "Jo Bloggs",
            0x5D01: "SENCo@Example.sch.uk",
            0x1000: "See attached.",
        },
    )
    sent = (SENT - datetime(1601, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1) * 10
    props += struct.pack("<HHIQ", 0x0040, 0x0039, 6, sent)  # PR_CLIENT_SUBMIT_TIME
    header = bytes(8) + struct.pack("<IIII", 0, 1, 0, 1) + bytes(8)
    writer.addEntry("__properties_version1.0", header + props)
    folder = "__attach_version1.0_#00000000"
    writer.addEntry(folder, storage=True)
    aprops = _strings(writer, folder + "/", {0x3707: attachment_name, 0x370E: DOCX})
    writer.addEntry(f"{folder}/__substg1.0_37010102", attachment)
    aprops += struct.pack("<HHIII", 0x0102, 0x3701, 6, len(attachment), 0)
    aprops += struct.pack("<HHIQ", 0x0003, 0x3705, 6, 1)  # attached by value
    writer.addEntry(f"{folder}/__properties_version1.0", bytes(8) + aprops)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _strings(writer: OleWriter, prefix: str, values: dict[int, str]) -> bytes:
    props = b""
    for prop, text in values.items():
        encoded = text.encode("utf-16-le")
        writer.addEntry(f"{prefix}__substg1.0_{prop:04X}001F", encoded)
        props += struct.pack("<HHIII", 0x001F, prop, 6, len(encoded) + 2, 0)
    return props


def test_outlook_msg_gives_sender_subject_date_body_and_stored_attachments(tmp_path: Path) -> None:
    raw = outlook_msg("Référral – Zoë.docx", b"DOCX BYTES")

    message, store = parse(tmp_path, raw, filename="referral.msg")

    assert message.sender == "senco@example.sch.uk"
    assert message.subject == "Referral for Z"
    assert message.body == "See attached."
    assert message.received_at == SENT
    assert [(a.filename, a.size, a.content_type) for a in message.attachments] == [
        ("Référral – Zoë.docx", 10, DOCX)
    ]
    assert store.read(message.attachments[0].sha256) == b"DOCX BYTES"
    assert store.has(message.sha256)


def test_damaged_outlook_msg_yields_a_problem_not_an_exception(tmp_path: Path) -> None:
    raw = outlook_msg("a.docx", b"x")[:1500]

    message, store = parse(tmp_path, raw, filename="referral.msg")

    assert message.attachments == ()
    assert message.problems and message.problems[0].startswith("Outlook message could not be read")
    assert message.received_at == ARRIVED
    assert store.has(message.sha256)
