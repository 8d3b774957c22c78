"""Macros in old binary Office files (.xls, .doc): a VBA project, or Excel 4.0 macro sheets.

An .xls keeps its sheets' kinds in BOUNDSHEET records of its Workbook stream; a sheet of kind
1 is an Excel 4.0 macro sheet, which runs formulas as code. Both are found from the compound
file's directory and records, without opening the workbook.
"""

from __future__ import annotations

import io
import struct

import olefile  # type: ignore[import-untyped]

from pipeline.read.active_content import MACROS, ActiveContent
from pipeline.read.sniff import OLE_SIGNATURE

_BOUNDSHEET = 0x0085
_MACRO_SHEET = 0x01
_MAX_RECORDS = 100_000


def check_legacy_macros(data: bytes) -> None:
    """Raise ActiveContent for a compound file with a VBA project or an XLM macro sheet."""
    if not data.startswith(OLE_SIGNATURE):
        return
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # not a compound file olefile can read: the reader judges it
        return
    try:
        streams = {"/".join(entry).lower() for entry in ole.listdir()}
        if any(name.endswith("vba/dir") for name in streams):
            raise ActiveContent(MACROS.format(what="macros (a VBA project)"))
        for name in ("workbook", "book"):
            if name in streams and _has_macro_sheet(ole.openstream(name).read()):
                raise ActiveContent(MACROS.format(what="an Excel 4.0 macro sheet"))
    finally:
        ole.close()


def _has_macro_sheet(stream: bytes) -> bool:
    offset = 0
    for _ in range(_MAX_RECORDS):
        if offset + 4 > len(stream):
            return False
        kind, length = struct.unpack_from("<HH", stream, offset)
        body = stream[offset + 4 : offset + 4 + length]
        if kind == _BOUNDSHEET and len(body) >= 6 and body[5] == _MACRO_SHEET:
            return True
        offset += 4 + length
    return False
