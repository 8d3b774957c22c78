"""Readers: one module per file format, each turning bytes into a ReadDocument.

``read_document`` picks the reader by the file's content (not only its name) and turns a
file that cannot be opened into an ``Unreadable`` reason the caller reports as a finding.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from pipeline.models import ReadDocument
from pipeline.read.docx import read_docx
from pipeline.read.pdf import read_pdf
from pipeline.read.unreadable import PASSWORD_PROTECTED_OFFICE, Unreadable
from pipeline.read.xlsx import read_xlsx

Reader = Callable[[bytes, str, str], ReadDocument]
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")

__all__ = ["Unreadable", "read_document"]


def read_document(data: bytes, filename: str, sha256: str) -> ReadDocument | None:
    """The document's content, or None for a file no reader handles (kept as supporting).

    Raises Unreadable when the file claims a format we read but cannot be opened.
    """
    reader = _reader_for(data, filename)
    if reader is None:
        return None
    try:
        return reader(data, filename, sha256)
    except Unreadable:
        raise
    except Exception as exc:  # parsers raise anything on damaged input: all mean "unreadable"
        raise Unreadable(_reason(exc, filename)) from None


def _reader_for(data: bytes, filename: str) -> Reader | None:
    name = filename.lower()
    if not data:
        if name.endswith((".docx", ".xlsx", ".pdf")):
            raise Unreadable("the file is empty (0 bytes); please attach it again")
        return None
    if data.startswith(b"%PDF") or name.endswith(".pdf"):
        return read_pdf
    if data.startswith(OLE_SIGNATURE):
        return _ole_container(data, name)
    if name.endswith((".docx", ".xlsx")) or data.startswith(b"PK\x03\x04"):
        return _office_reader(data, name)
    return None


def _ole_container(data: bytes, name: str) -> Reader | None:
    """An OLE (CFB) file: an encrypted .docx/.xlsx, or an old .doc/.xls under a new name."""
    if ENCRYPTION_INFO in data:
        raise Unreadable(PASSWORD_PROTECTED_OFFICE)
    if name.endswith((".docx", ".xlsx")):
        raise Unreadable(
            "the file is an old-format Word or Excel file (.doc or .xls) named as a new one; "
            "please save it as .docx or .xlsx and resend"
        )
    return None


def _office_reader(data: bytes, name: str) -> Reader | None:
    try:
        members = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        if name.endswith((".docx", ".xlsx")):
            raise Unreadable(
                "the file is damaged or incomplete and cannot be opened; "
                "please save it again and resend"
            ) from None
        return None
    if "word/document.xml" in members:
        return read_docx
    if "xl/workbook.xml" in members:
        return read_xlsx
    if name.endswith((".docx", ".xlsx")):
        raise Unreadable(
            "the file is not a real Word or Excel document inside; please save it again and resend"
        )
    return None


def _reason(exc: Exception, filename: str) -> str:
    kind = "PDF" if filename.lower().endswith(".pdf") else "document"
    return (
        f"the {kind} is damaged and cannot be opened ({type(exc).__name__}); "
        "please save it again and resend"
    )
