"""What a file is by its content, whatever its name says.

Schools send archives, encrypted mail parts and word-processor files in older or other formats
under any name; each is recognised here from its first bytes (or a zip's or compound file's
directory), so that the right finding is given or the right converter chosen.
"""

from __future__ import annotations

import io
import zipfile

import msoffcrypto  # type: ignore[import-untyped]

from pipeline.read.ooxml import OfficePackage, office_package
from pipeline.read.unreadable import (
    PASSWORD_PROTECTED_OFFICE,
    PGP_ENCRYPTED,
    SMIME_ENCRYPTED,
)
from pipeline.read.web_page import is_sheet_markup, is_word_markup, markup_format

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
WORD_STREAM = "WordDocument".encode("utf-16-le")
# Excel 97-2003 keeps its sheets in a "Workbook" stream; Excel 5.0/95 in a "Book" stream.
EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
OUTLOOK_STREAM = "__properties_version1.0".encode("utf-16-le")
_ARCHIVES = {
    b"7z\xbc\xaf\x27\x1c": "7-Zip",
    b"Rar!\x1a\x07": "RAR",
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"MSCF": "cabinet",
}
_ODF = b"application/vnd.oasis.opendocument."
_ODF_TEXT = _ODF + b"text"
_ODF_SPREADSHEET = _ODF + b"spreadsheet"
_ODF_MANIFEST = "META-INF/manifest.xml"
_ODF_ENCRYPTED = b"encryption-data"
_PGP_ARMOUR = b"-----BEGIN PGP MESSAGE-----"
_PGP_SUFFIXES = (".pgp", ".gpg")
_SMIME_SUFFIXES = (".p7m", ".p7e")
_ENVELOPED_DATA = bytes.fromhex("06092a864886f70d010703")  # OID 1.2.840.113549.1.7.3


def archive_kind(data: bytes) -> str | None:
    """'zip', '7-Zip', ... for an archive; None for anything else (an Office zip included)."""
    for magic, kind in _ARCHIVES.items():
        if data.startswith(magic):
            return kind
    if data[257:262] == b"ustar":
        return "tar"
    if not data.startswith(ZIP_SIGNATURES):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return None  # a damaged zip: the reader says it is damaged
    if office_package(archive) is not None or _odf_type(data).startswith(_ODF):
        return None
    return "zip"


def office_document(data: bytes) -> OfficePackage | None:
    """The Office Open XML document a zip is (its main part), or None (``ooxml.py``)."""
    if not data.startswith(ZIP_SIGNATURES):
        return None
    try:
        return office_package(zipfile.ZipFile(io.BytesIO(data)))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return None


def encryption(data: bytes, filename: str) -> str | None:
    """The reason an encrypted file cannot be read (PGP, S/MIME, Office password), or None."""
    name = filename.lower()
    head = data[:4096]
    if _PGP_ARMOUR in head or (name.endswith(_PGP_SUFFIXES) and not head.isascii()):
        return PGP_ENCRYPTED
    if name.endswith(_SMIME_SUFFIXES) or (head[:1] == b"\x30" and _ENVELOPED_DATA in head[:64]):
        return SMIME_ENCRYPTED
    if data.startswith(OLE_SIGNATURE) and _office_encrypted(data):
        return PASSWORD_PROTECTED_OFFICE
    if data.startswith(ZIP_SIGNATURES) and _odf_encrypted(data):
        return PASSWORD_PROTECTED_OFFICE
    return None


def _office_encrypted(data: bytes) -> bool:
    """An encrypted .docx/.xlsx (an OLE wrapper) or an old .doc/.xls with a password."""
    if ENCRYPTION_INFO in data:
        return True
    try:
        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # not an Office file msoffcrypto knows (an Outlook message, say)
        return False


def _odf_encrypted(data: bytes) -> bool:
    """An OpenDocument file saved with a password: its manifest says how each part is
    encrypted (the parts themselves are unreadable without it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        with archive.open(_ODF_MANIFEST) as member:
            return _ODF_ENCRYPTED in member.read(1024 * 1024)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, KeyError):
        return False


def is_outlook_message(data: bytes) -> bool:
    return data.startswith(OLE_SIGNATURE) and OUTLOOK_STREAM in data


def word_processor_format(data: bytes, filename: str = "") -> str | None:
    """'.doc', '.rtf', '.odt', '.docx' (a Strict Open XML one), or '.html' / '.xml' for a web
    page or Word 2003 XML that is Word's or named as a word-processor file: a file LibreOffice
    can convert to .docx; else None."""
    markup = markup_format(data)
    if markup is not None:
        return markup if is_word_markup(data, filename) else None
    if data.startswith(OLE_SIGNATURE) and WORD_STREAM in data:
        return ".doc"
    if data[:64].lstrip()[:5] == b"{\\rtf":
        return ".rtf"
    if data.startswith(ZIP_SIGNATURES) and _odf_type(data) == _ODF_TEXT:
        return ".odt"
    return ".docx" if _strict(data, "word") else None


def spreadsheet_format(data: bytes, filename: str = "") -> str | None:
    """'.xls', '.ods', '.xlsx' (a Strict Open XML one), or '.html' / '.xml' for a web page or
    Excel 2003 XML that is Excel's or named as a spreadsheet: a spreadsheet LibreOffice can
    convert to .xlsx; else None."""
    markup = markup_format(data)
    if markup is not None:
        return markup if is_sheet_markup(data, filename) else None
    if data.startswith(OLE_SIGNATURE) and any(stream in data for stream in EXCEL_STREAMS):
        return ".xls"
    if data.startswith(ZIP_SIGNATURES) and _odf_type(data) == _ODF_SPREADSHEET:
        return ".ods"
    return ".xlsx" if _strict(data, "excel") else None


def _strict(data: bytes, kind: str) -> bool:
    package = office_document(data)
    return package is not None and package.strict and package.kind == kind


def _odf_type(data: bytes) -> bytes:
    """An OpenDocument file's type (its 'mimetype' member), or b"" for any other zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        with archive.open("mimetype") as member:
            return member.read(100).strip()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, KeyError):
        return b""
