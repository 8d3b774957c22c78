"""LibreOffice at the edge: Word and Excel originals to PDF, headless, in a throwaway folder.

The run itself is :mod:`pipeline.libreoffice`. It is optional: :func:`libreoffice` says whether
it is installed, and the bundle notes the originals it had to leave out when it is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pipeline import libreoffice as office
from pipeline.errors import PipelineError
from pipeline.scratch import scratch_folder

CONVERTIBLE = (".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ods", ".csv")
BASE_TIMEOUT = 90.0
TIMEOUT_PER_FILE = 15.0


class ConversionError(PipelineError):
    """LibreOffice could not be started, or did not finish in time."""


def libreoffice() -> str | None:
    """The LibreOffice program on PATH (``soffice`` or ``libreoffice``), if there is one."""
    return office.program()


def convertible(filename: str) -> bool:
    return Path(filename).suffix.lower() in CONVERTIBLE


def convert_to_pdf(
    originals: Mapping[str, bytes], *, timeout: float | None = None
) -> dict[str, bytes]:
    """PDFs of the given originals (keyed like them); a file LibreOffice cannot read is missing.

    All files go through one LibreOffice run with its own profile in a temporary folder, so a
    desktop LibreOffice the admin has open does not block it and nothing is left behind.
    """
    program = libreoffice()
    if program is None:
        raise ConversionError("LibreOffice (soffice) is not installed")
    if not originals:
        return {}
    limit = timeout if timeout is not None else BASE_TIMEOUT + TIMEOUT_PER_FILE * len(originals)
    with scratch_folder("bundle-convert") as folder:
        names = _write_inputs(folder, originals)
        _run(program, folder, list(names), limit)
        return {
            key: pdf.read_bytes()
            for name, key in names.items()
            if (pdf := folder / "out" / f"{Path(name).stem}.pdf").exists()
        }


def _write_inputs(folder: Path, originals: Mapping[str, bytes]) -> dict[str, str]:
    """Write each original under a safe numbered name; returns file name -> caller's key."""
    (folder / "in").mkdir()
    names: dict[str, str] = {}
    for number, (key, data) in enumerate(originals.items()):
        name = f"doc{number:04d}{Path(key).suffix.lower()}"
        (folder / "in" / name).write_bytes(data)
        names[name] = key
    return names


def _run(soffice: str, folder: Path, names: list[str], timeout: float) -> None:
    sources = [folder / "in" / name for name in names]
    try:
        office.convert(soffice, folder, sources, "pdf", timeout)
    except office.ConversionTimedOut:
        raise ConversionError(f"LibreOffice took longer than {timeout:.0f} seconds") from None
    except OSError as exc:
        raise ConversionError(f"LibreOffice could not be started: {exc}") from None
