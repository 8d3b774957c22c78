"""Word-processor files in older or other formats (.doc, .rtf, .odt) -> .docx, then read as Word.

LibreOffice converts them headless, in a private profile in a throwaway folder. This runs in
the parser's worker process, so LibreOffice inherits the worker's memory limit; it gets its own
session and is killed with everything it started when the time allowed runs out, before the
pool's own timeout would kill the worker and leave LibreOffice behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

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
    program = shutil.which("soffice") or shutil.which("libreoffice")
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


def _run(program: str, folder: Path, source: Path, timeout: float) -> None:
    command = [
        program,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(folder / "out"),
        str(source),
    ]
    process = subprocess.Popen(
        command,
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise Unreadable(
            f"the file took more than {timeout:g} seconds to convert and was stopped; "
            "it may be damaged or far too large"
        ) from None
