"""Files that carry something that runs, whatever they are called: programs and Office macros.

Blocked extensions catch ``Referral.exe`` and ``map.xlsm``; these checks catch the same content
under an innocent name (a macro workbook renamed ``.xlsx``, a program renamed ``.pdf``), so
that the admin is never handed it to open in Office. Both look only at a few bytes or at the
zip's directory, so they run before any parser.
"""

from __future__ import annotations

import struct
import zipfile

from pipeline.read.unreadable import Unreadable


class ActiveContent(Unreadable):
    """A file refused because it carries code; the reason is worded for the school."""


_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
_MACRO_SHEET_FOLDERS = ("xl/macrosheets/", "xl/intl-macrosheets/")
# OpenDocument: Basic modules under Basic/<library>/ (beside the libraries' own indexes), and
# scripts in other languages (Python, JavaScript, BeanShell) under Scripts/.
_ODF_BASIC, _ODF_SCRIPTS = "basic/", "scripts/"
_ODF_LIBRARY_INDEXES = ("script-lc.xml", "script-lb.xml", "dialog-lc.xml", "dialog-lb.xml")
_PROGRAM_MAGIC = (b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")


def check_program(data: bytes) -> None:
    """Raise ActiveContent for a Windows, Linux or macOS program."""
    if _is_program(data):
        raise ActiveContent(
            "it is a program (executable), not a document, whatever its name says; it has "
            "been kept in quarantine. Please send the document itself as .docx, .xlsx or .pdf"
        )


def check_macros(members: list[zipfile.ZipInfo]) -> None:
    """Raise ActiveContent for an Office zip that carries a VBA project, an Excel 4.0
    macro sheet or OpenDocument macros (recognised by its part, whatever the file is called)."""
    names = [m.filename.lower() for m in members]
    if any(name.rsplit("/", 1)[-1] in _MACRO_PARTS for name in names):
        raise ActiveContent(MACROS.format(what="macros (a VBA project)"))
    if any(name.startswith(_MACRO_SHEET_FOLDERS) for name in names):
        raise ActiveContent(MACROS.format(what="an Excel 4.0 macro sheet"))
    if any(_is_odf_macro(name) for name in names):
        raise ActiveContent(MACROS.format(what="macros (LibreOffice Basic or scripts)"))


def _is_odf_macro(name: str) -> bool:
    if name.endswith("/"):  # a folder's own entry holds nothing
        return False
    if name.startswith(_ODF_SCRIPTS):
        return True
    inside = name.removeprefix(_ODF_BASIC)
    return inside != name and "/" in inside and not inside.endswith(_ODF_LIBRARY_INDEXES)


MACROS = (
    "it contains {what}, which the cluster does not open; it has been kept in quarantine. "
    "Please save it as an ordinary .docx or .xlsx (without macros) and send it again"
)


def _is_program(data: bytes) -> bool:
    """A Windows PE (an MZ header whose e_lfanew points at 'PE\\0\\0'), ELF or Mach-O file."""
    if data.startswith(_PROGRAM_MAGIC):
        return True
    if not data.startswith(b"MZ") or len(data) < 0x40:
        return False
    (offset,) = struct.unpack_from("<I", data, 0x3C)
    return data[offset : offset + 4] == b"PE\0\0"
