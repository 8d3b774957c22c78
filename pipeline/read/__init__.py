"""Readers: one module per file format, each turning bytes into a ReadDocument.

``read_document`` picks the reader by the file's content (not only its name) and turns a
file that cannot be opened into an ``Unreadable`` reason the caller reports as a finding:
an empty file, an encrypted one, an archive (never opened), a damaged one. The readers are
imported when a document is read, in the parsing worker: the main process, which imports
this package for ``Unreadable``, never loads their libraries.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import partial

from pipeline.models import ReadDocument
from pipeline.read.sniff import (
    OLE_SIGNATURE,
    ZIP_SIGNATURES,
    archive_kind,
    encryption,
    office_document,
    spreadsheet_format,
    word_processor_format,
)
from pipeline.read.unreadable import EMPTY, Archive, Empty, Unreadable

Reader = Callable[[bytes, str, str], ReadDocument]
CONVERT_TIMEOUT = 60.0
# Names that claim a format we read: such a file that is not that format inside is damaged.
ZIP_SUFFIXES = (".docx", ".xlsx", ".odt", ".ods")
OLE_SUFFIXES = (".docx", ".xlsx", ".doc", ".xls")

__all__ = ["Archive", "Empty", "Unreadable", "read_document"]


def read_document(
    data: bytes, filename: str, sha256: str, *, convert_timeout: float = CONVERT_TIMEOUT
) -> ReadDocument | None:
    """The document's content, or None for a file no reader handles (kept as supporting).

    Raises Unreadable when the file claims a format we read but cannot be opened, is empty,
    encrypted or an archive.
    """
    reader = _reader_for(data, filename, convert_timeout)
    if reader is None:
        return None
    try:
        return reader(data, filename, sha256)
    except Unreadable:
        raise
    except Exception as exc:  # parsers raise anything on damaged input: all mean "unreadable"
        raise Unreadable(_reason(exc, filename)) from None


def refuse_unopenable(data: bytes, filename: str) -> None:
    """Raise for a file no reader may open: empty, encrypted, or an archive."""
    if not data:
        raise Empty(EMPTY)
    reason = encryption(data, filename)
    if reason is not None:
        raise Unreadable(reason)
    archive = archive_kind(data)
    if archive is not None:
        raise Archive(
            f"it is an archive ({archive}); the cluster does not open archives, so nothing "
            "inside it was read and it is not passed to the panel. Please send the documents "
            "inside it as separate attachments"
        )


def _reader_for(data: bytes, filename: str, convert_timeout: float) -> Reader | None:
    refuse_unopenable(data, filename)
    name = filename.lower()
    if data.startswith(b"%PDF") or name.endswith(".pdf"):
        from pipeline.read.pdf import read_pdf

        return read_pdf
    word = word_processor_format(data, name)
    sheet = None if word else spreadsheet_format(data, name)
    if word or sheet:  # whatever it is called: an .xls named .xlsx is read as .xls
        from pipeline.read.converted import read_converted

        suffix = word or sheet or ""
        return partial(read_converted, suffix=suffix, sheet=bool(sheet), timeout=convert_timeout)
    if data.startswith(OLE_SIGNATURE):
        return _ole_container(name)
    if name.endswith(ZIP_SUFFIXES) or data.startswith(ZIP_SIGNATURES):
        return _office_reader(data, name)
    return None


def _ole_container(name: str) -> Reader | None:
    """An OLE (CFB) file that is neither Word nor Excel: damaged if named as one of them."""
    if name.endswith(OLE_SUFFIXES):
        raise Unreadable(DAMAGED)
    return None


def _office_reader(data: bytes, name: str) -> Reader | None:
    try:
        zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        if name.endswith(ZIP_SUFFIXES):
            raise Unreadable(DAMAGED) from None
        return None
    package = office_document(data)
    kind = package.kind if package is not None else None
    if kind == "word":
        from pipeline.read.docx import read_docx

        return read_docx
    if kind == "excel":
        from pipeline.read.xlsx import read_xlsx

        return read_xlsx
    if name.endswith(ZIP_SUFFIXES):
        raise Unreadable(
            "the file is not a real Word, Excel or OpenDocument file inside; "
            "please save it again and resend"
        )
    return None


DAMAGED = "the file is damaged or incomplete and cannot be opened; please save it again and resend"


def _reason(exc: Exception, filename: str) -> str:
    kind = "PDF" if filename.lower().endswith(".pdf") else "document"
    return (
        f"the {kind} is damaged and cannot be opened ({type(exc).__name__}); "
        "please save it again and resend"
    )
