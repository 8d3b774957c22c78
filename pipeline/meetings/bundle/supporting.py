"""A case's supporting documents: loaded, converted where needed, and checked for the panel.

The panel edition leaves out (withholds) any supporting document whose text still names the
pupil or their parent, or gives a date of birth or UPN, and any it cannot check because it
has no text layer. Withholding is the safer choice over re-rendering the extracted text with
the names replaced: text extraction misses names drawn as pictures, split across lines or in
scanned pages, and a re-rendered document would look like the school's original while
silently differing from it. The full edition has every document.
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
from pipeline.meetings.convert import convertible
from pipeline.meetings.models import CaseFile
from pipeline.meetings.redact import Identity, identifiers_in
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
    "Supporting document withheld from the panel edition: contains identifying details; "
    "available in the full edition."
)
UNCHECKABLE = (
    "Supporting document withheld from the panel edition: it has no text layer (a scan or "
    "picture), so it could not be checked for identifying details; available in the full "
    "edition."
)
NO_LIBREOFFICE = (
    "Left out: a Word or Excel original, and LibreOffice is not installed on the computer "
    "that made this bundle, so it could not be converted to PDF. The original is in the case "
    "folder."
)
NOT_CONVERTED = "Left out: LibreOffice could not convert this file to PDF."
_MIN_TEXT = 15  # characters a page must yield to count as having a text layer

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
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            return Supporting(document, NOT_OPENED[DocumentKind.unreadable])
        pages = len(reader.pages)
        if view.panel and view.identity is not None and not view.identity.empty:
            problem = _panel_problem(reader, view.identity)
            if problem is not None:
                return Supporting(document, problem)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError):
        return Supporting(document, NOT_OPENED[DocumentKind.unreadable])
    kind = "converted to PDF, " if convertible(document.filename) else ""
    return Supporting(document, f"Included after the case papers ({kind}{_pages(pages)}).", reader)


def _panel_problem(reader: PdfReader, identity: Identity) -> str | None:
    texts = [page.extract_text() or "" for page in reader.pages]
    if any(len(text.strip()) < _MIN_TEXT for text in texts):
        return UNCHECKABLE
    extra = _form_and_annotation_text(reader)
    if identifiers_in("\n".join([*texts, extra]), identity):
        return WITHHELD
    return None


def _form_and_annotation_text(reader: PdfReader) -> str:
    """Text that is not in the page content: form field values and annotation contents."""
    parts = [str(v) for v in (reader.get_form_text_fields() or {}).values() if v]
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            obj = annotation.get_object()
            parts += [str(obj[key]) for key in ("/Contents", "/V") if key in obj]
    return "\n".join(parts)


def _pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"


def _load(load: Load, sha256: str) -> bytes | None:
    try:
        return load(sha256)
    except (PipelineError, OSError, KeyError):
        return None
