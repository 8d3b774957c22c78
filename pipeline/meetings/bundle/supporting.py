"""A case's supporting documents: loaded, converted where needed, cleaned and redacted.

Every supporting PDF (and every Word or Excel original, converted by LibreOffice) is rebuilt
without active content for both editions (``sanitize``). The panel edition gets a redacted
copy (``redact_pdf``): the case's identifiers are taken off the pages, scans are read by OCR
first. A document that cannot be redacted safely (unreadable, encrypted, a scan whose text
cannot be read) is withheld from the panel edition, with the reason on its line. The full
edition has every document.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from pipeline.errors import PipelineError
from pipeline.meetings.bundle.edition import View
from pipeline.meetings.bundle.redact_pdf import Withheld, redact_pdf
from pipeline.meetings.bundle.sanitize import NotSanitisable, sanitise
from pipeline.meetings.convert import convertible
from pipeline.meetings.models import CaseFile
from pipeline.models import ExtractedDocument
from schemas import FORMS, DocumentKind

FORM_KINDS = frozenset(FORMS)
NOT_OPENED = {
    DocumentKind.quarantined: "Left out: quarantined, never opened.",
    DocumentKind.blocked: "Left out: a macro-enabled or executable file, never opened.",
    DocumentKind.unreadable: (
        "Left out: the file could not be opened (damaged or password protected)."
    ),
    DocumentKind.archive: "Left out: an archive (zip or similar), never opened.",
    DocumentKind.container: (
        "Left out: an email or Outlook envelope; its documents are listed on their own."
    ),
}
WITHHELD = (
    "Supporting document withheld from the panel edition: it could not be redacted safely "
    "({reason}); available in the full edition."
)
NO_LIBREOFFICE = (
    "Left out: a Word or Excel original, and LibreOffice is not installed on the computer "
    "that made this bundle, so it could not be converted to PDF. The original is in the case "
    "folder."
)
NOT_CONVERTED = "Left out: LibreOffice could not convert this file to PDF."

Load = Callable[[str], bytes]


@dataclass(frozen=True)
class Supporting:
    """One non-form document of a case and what the bundle does with it."""

    document: ExtractedDocument
    note: str
    reader: PdfReader | None = None
    left_out_original: bool = False  # a Word/Excel original that could not be converted

    @property
    def pages(self) -> int:
        return len(self.reader.pages) if self.reader is not None else 0


def is_form(document: ExtractedDocument) -> bool:
    return document.kind in FORM_KINDS


def originals_to_convert(cases: Iterable[CaseFile], load: Load) -> dict[str, bytes]:
    """The Word and Excel supporting documents of the cases, by sha256."""
    found: dict[str, bytes] = {}
    for case in cases:
        for document in case.documents:
            if (
                not is_form(document)
                and document.kind not in NOT_OPENED
                and convertible(document.filename)
            ):
                data = _load(load, document.sha256)
                if data is not None:
                    found[document.sha256] = data
    return found


def supporting_documents(
    case: CaseFile, view: View, load: Load, converted: Mapping[str, bytes] | None
) -> list[Supporting]:
    """Each non-form document of the case with its PDF (if bundled) and a note saying what."""
    return [_prepare(d, view, load, converted) for d in case.documents if not is_form(d)]


def _prepare(
    document: ExtractedDocument, view: View, load: Load, converted: Mapping[str, bytes] | None
) -> Supporting:
    if document.kind in NOT_OPENED:
        return Supporting(document, NOT_OPENED[document.kind])
    if convertible(document.filename):
        if converted is None:
            return Supporting(document, NO_LIBREOFFICE, left_out_original=True)
        pdf = converted.get(document.sha256)
        if pdf is None:
            return Supporting(document, NOT_CONVERTED, left_out_original=True)
    elif Path(document.filename).suffix.lower() == ".pdf":
        pdf = _load(load, document.sha256)
        if pdf is None:
            return Supporting(document, "Left out: the stored copy could not be read.")
    else:
        suffix = Path(document.filename).suffix.lower() or "without an extension"
        return Supporting(document, f"Left out: files of this type ({suffix}) are not bundled.")
    return _checked(document, pdf, view)


def _checked(document: ExtractedDocument, pdf: bytes, view: View) -> Supporting:
    try:
        cleaned = sanitise(pdf)
    except NotSanitisable:
        return Supporting(document, NOT_OPENED[DocumentKind.unreadable])
    data, changed = cleaned.data, 0
    if view.panel and view.identity is not None:
        try:
            redacted = redact_pdf(data, view.identity)
        except Withheld as reason:
            return Supporting(document, WITHHELD.format(reason=reason))
        data, changed = redacted.data, redacted.pages_changed
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError):
        return Supporting(document, NOT_OPENED[DocumentKind.unreadable])
    return Supporting(document, _included(document, pages, changed, cleaned.removed), reader)


def _included(
    document: ExtractedDocument, pages: int, changed: int, removed: tuple[str, ...]
) -> str:
    kind = "converted to PDF, " if convertible(document.filename) else ""
    note = f"Included after the case papers ({kind}{_pages(pages)})."
    if changed:
        note += f" Redacted: identifying details removed from {_pages(changed)}."
    if removed:
        note += f" Removed from the file: {', '.join(removed)}."
    return note


def _pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"


def _load(load: Load, sha256: str) -> bytes | None:
    try:
        return load(sha256)
    except (PipelineError, OSError, KeyError):
        return None
