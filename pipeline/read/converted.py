"""Word-processor files in older or other formats (.doc, .rtf, .odt) -> .docx, then read as Word.

LibreOffice converts them headless (:mod:`pipeline.libreoffice`). This runs in the parser's
worker process, so LibreOffice inherits the worker's memory limit, and it is given less time
than the worker: it is killed with everything it started before the pool's own timeout would
kill the worker and leave LibreOffice behind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pipeline import libreoffice
from pipeline.models import ReadDocument
from pipeline.read.docx import read_docx
from pipeline.read.unreadable import Unreadable

NO_LIBREOFFICE = (
    "it is an old or non-Word word-processor file ({suffix}), and LibreOffice, which converts "
    "such files, is not installed here; please save it as .docx and resend"
)


def read_converted(
    data: bytes, filename: str, sha256: str, *, suffix: str, timeout: float
) -> ReadDocument:
    """The document read as Word after LibreOffice converted it; format names the original."""
    read = read_docx(to_docx(data, suffix, timeout), filename, sha256)
    return read.model_copy(update={"format": suffix.lstrip(".")})


def to_docx(data: bytes, suffix: str, timeout: float) -> bytes:
    program = libreoffice.program()
    if program is None:
        raise Unreadable(NO_LIBREOFFICE.format(suffix=suffix))
    with tempfile.TemporaryDirectory(prefix="read-convert-") as work:
        folder = Path(work)
        source = folder / f"document{suffix}"
        source.write_bytes(data)
        _run(program, folder, source, timeout)
        converted = folder / "out" / "document.docx"
        if not converted.exists():
            raise Unreadable(
                f"the {suffix} file is damaged and LibreOffice could not open it; "
                "please save it again as .docx and resend"
            )
        return converted.read_bytes()


def _run(soffice: str, folder: Path, source: Path, timeout: float) -> None:
    try:
        libreoffice.convert(soffice, folder, [source], "docx:MS Word 2007 XML", timeout)
    except libreoffice.ConversionTimedOut:
        raise Unreadable(
            f"the file took more than {timeout:g} seconds to convert and was stopped; "
            "it may be damaged or far too large"
        ) from None
