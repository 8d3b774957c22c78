"""LibreOffice headless: one conversion run, in a private profile, killed whole on time-out.

Both the readers (.doc/.rtf/.odt -> .docx) and the bundle (originals -> PDF) convert with it.
Each run gets its own profile in the caller's throwaway folder, so a desktop LibreOffice the
admin has open does not block it, and its own session, so that a run out of time is killed
with everything it started (``soffice`` is a script that starts ``soffice.bin``). That session
also puts it out of reach of whatever ends the process that started it: whoever removes the
caller's scratch folder ends what still works in it (:mod:`pipeline.scratch`), or it would go
on converting a pupil's document unwatched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path


class ConversionTimedOut(Exception):
    """LibreOffice did not finish in the time allowed and was killed."""


def program() -> str | None:
    """The LibreOffice program on PATH (``soffice`` or ``libreoffice``), if there is one."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    soffice: str,
    folder: Path,
    sources: Sequence[Path],
    target: str,
    timeout: float,
    *,
    infilter: str | None = None,
) -> Path:
    """Convert ``sources`` to ``target`` (a LibreOffice filter such as ``pdf``), read by the
    filter ``infilter`` if given (else as LibreOffice recognises them); returns the folder
    the converted files are in. A file LibreOffice cannot read is simply not there.

    Raises ConversionTimedOut, or OSError when LibreOffice cannot be started.
    """
    out = folder / "out"
    command = [
        soffice,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        target,
        "--outdir",
        str(out),
        *(str(source) for source in sources),
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
        raise ConversionTimedOut from None
    return out
