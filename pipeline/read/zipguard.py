"""Refuse hostile Office files before any parser opens them.

A .docx or .xlsx is a zip of XML parts. Three tricks make one costly to open, and each is
refused here from the zip's own directory and a streamed scan of its XML parts, with a bounded
amount of work:

- a zip bomb: members that unzip to far more than any form (by total size or by ratio);
- a many-members bomb: tens of thousands of parts, each cheap, together costly;
- XML entity declarations (``<!DOCTYPE ... [<!ENTITY ...>]>``): the "billion laughs" expansion
  and external entities that read local files. Office never writes a DOCTYPE, so any part
  declaring one is refused, whatever the parser would have done with it. (python-docx parses
  with ``resolve_entities=False`` and openpyxl with defusedxml; this scan is the one defence
  that does not depend on either.)
"""

from __future__ import annotations

import io
import zipfile
import zlib

from pipeline.read.active_content import check_macros

MB = 1024 * 1024
MAX_MEMBERS = 5000
_CHUNK = MB
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_MARKERS = ("<!DOCTYPE", "<!ENTITY")
_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
# Every way a parser could read the markers: each in every encoding an XML parser detects.
_PATTERNS = tuple({m.encode(e) for m in _MARKERS for e in _ENCODINGS})
_OVERLAP = max(len(p) for p in _PATTERNS)


class ZipBomb(Exception):
    """Why a zip container is refused, worded for the school that sent it."""


def check_zip(data: bytes, *, max_unzipped_mb: float, max_ratio: float) -> None:
    """Raise ZipBomb for too many members, too much unzipped, too large a ratio, or an XML
    part that declares entities; ActiveContent for macros."""
    if not data.startswith(b"PK"):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return  # not a readable zip: the reader reports it as damaged
    if len(members) > MAX_MEMBERS:
        raise ZipBomb(
            f"it holds {len(members):,} parts, far more than any real document "
            f"(at most {MAX_MEMBERS:,} are accepted); it may be a zip bomb"
        )
    check_macros(members)
    unzipped = sum(member.file_size for member in members)
    if unzipped > max_unzipped_mb * MB:
        raise ZipBomb(
            f"it would unzip to {unzipped / MB:,.0f} MB, more than the {max_unzipped_mb:g} MB "
            "allowed; it may be a zip bomb"
        )
    packed = max(sum(member.compress_size for member in members), 1)
    if unzipped > MB and unzipped / packed > max_ratio:
        raise ZipBomb(
            f"it is compressed {unzipped / packed:,.0f} times over, far beyond any real "
            "document; it may be a zip bomb"
        )
    for member in members:
        if member.filename.lower().endswith(_XML_SUFFIXES) and _declares_entities(archive, member):
            raise ZipBomb(
                "it contains XML entity declarations, which Office documents never need; "
                "it may be an attack on the software that opens it"
            )


def _declares_entities(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether the part holds a DOCTYPE or ENTITY declaration, in any encoding.

    Streamed in 1 MB chunks (with an overlap, so a marker split across two is seen); the
    total read is bounded by the size check above.
    """
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                if any(pattern in window for pattern in _PATTERNS):
                    return True
                tail = window[-_OVERLAP:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error):
        return False  # a damaged part: the reader reports the file as damaged
    return False
