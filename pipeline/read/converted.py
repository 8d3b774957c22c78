"""Office files in older or other formats, converted by LibreOffice and then read like the new
ones: word-processor files (.doc, .rtf, .odt, a Strict Open XML .docx) as .docx, spreadsheets
(.xls, .ods, a Strict Open XML .xlsx) as .xlsx, and either kind sent as a web page or Office
2003 XML (:mod:`pipeline.read.web_page`), its addresses cut first.

LibreOffice converts them headless (:mod:`pipeline.libreoffice`). This runs in the parser's
worker process, so LibreOffice inherits the worker's memory limit, and it is given less time
than the worker: it is killed with everything it started before the pool's own timeout would
kill the worker and leave LibreOffice behind. A spreadsheet's formulas come back with the
values LibreOffice computed for them, so its amounts read as the original's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline import libreoffice
from pipeline.models import ReadDocument
from pipeline.read.docx import read_docx
from pipeline.read.unreadable import Unreadable
from pipeline.read.web_page import offline
from pipeline.read.xlsx import read_xlsx
from pipeline.scratch import scratch_folder


@dataclass(frozen=True)
class Target:
    """What a format is converted to: the new format's suffix, LibreOffice's filter, the
    reader of the result, and the filters that read a web page and Office 2003 XML as this
    kind."""

    what: str
    suffix: str
    filter: str
    reader: Callable[[bytes, str, str], ReadDocument]
    reads_as: dict[str, str]


WORD = Target(
    "word-processor",
    ".docx",
    "docx:MS Word 2007 XML",
    read_docx,
    {".html": "HTML (StarWriter)", ".xml": "MS Word 2003 XML"},
)
# A web page's cells are kept as the text it shows (British English, no guessing of dates or
# numbers), so that its dates are read day first and its amounts by the pipeline's own rules.
SPREADSHEET = Target(
    "spreadsheet",
    ".xlsx",
    "xlsx:Calc MS Excel 2007 XML",
    read_xlsx,
    {".html": "HTML (StarCalc):2057 0 0", ".xml": "MS Excel 2003 XML"},
)
MARKUP = (".html", ".xml")  # text: its addresses are cut before LibreOffice reads it


NO_LIBREOFFICE = (
    "it is an old or non-Microsoft {what} file ({suffix}), and LibreOffice, which converts "
    "such files, is not installed here; please save it as {new} and resend"
)


def read_converted(
    data: bytes, filename: str, sha256: str, *, suffix: str, sheet: bool, timeout: float
) -> ReadDocument:
    """The document read as its new format after LibreOffice converted it; the format it
    reports is the original's ('doc', 'xls', 'html', ...)."""
    target = SPREADSHEET if sheet else WORD
    read = target.reader(converted(data, suffix, target, timeout), filename, sha256)
    return read.model_copy(update={"format": suffix.lstrip(".")})


def converted(data: bytes, suffix: str, target: Target, timeout: float) -> bytes:
    program = libreoffice.program()
    if program is None:
        raise Unreadable(NO_LIBREOFFICE.format(what=target.what, suffix=suffix, new=target.suffix))
    with scratch_folder("read-convert") as folder:
        source = folder / f"document{suffix}"
        source.write_bytes(offline(data) if suffix in MARKUP else data)
        reads_as = target.reads_as.get(suffix)
        _run(program, folder, source, target.filter, timeout, reads_as)
        result = folder / "out" / f"document{target.suffix}"
        if not result.exists():
            raise Unreadable(
                f"the {suffix} file is damaged and LibreOffice could not open it; "
                f"please save it again as {target.suffix} and resend"
            )
        return result.read_bytes()


def _run(
    soffice: str, folder: Path, source: Path, target: str, timeout: float, reads_as: str | None
) -> None:
    try:
        libreoffice.convert(soffice, folder, [source], target, timeout, infilter=reads_as)
    except libreoffice.ConversionTimedOut:
        raise Unreadable(
            f"the file took more than {timeout:g} seconds to convert and was stopped; "
            "it may be damaged or far too large"
        ) from None
