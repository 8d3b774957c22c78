"""Supporting PDFs without active content: no scripts, actions, attachments or live forms.

A school's PDF may carry JavaScript (a page action that runs when the page opens), links that
launch programs or open web addresses, embedded files, an XFA form or fillable fields. None of
it belongs in a bundle sent to 29 settings. qpdf (through pikepdf) rebuilds each PDF: form
fields and other annotations are flattened into the page as they look, and every script,
action, attachment and outside link is dropped. What was removed is said on the document's
line in the bundle.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import pikepdf
from pikepdf import Dictionary, Name

ACTIVE_KEYS = ("/JS", "/JavaScript", "/AA", "/OpenAction", "/Launch", "/EmbeddedFile")
_ROOT = {
    "/OpenAction": "an action run on opening",
    "/AA": "actions",
    "/AcroForm": "form fields (flattened into the page)",
}
_NAMES = {"/JavaScript": "JavaScript", "/EmbeddedFiles": "embedded files"}
_DANGEROUS_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "an action that launches a program",
    "/URI": "links to outside the bundle",
    "/SubmitForm": "form submission",
    "/ImportData": "actions",
    "/GoToR": "links to outside the bundle",
    "/GoToE": "embedded files",
    "/Rendition": "actions",
    "/RichMediaExecute": "actions",
}


class NotSanitisable(Exception):
    """The PDF could not be opened or rebuilt (damaged or encrypted)."""


@dataclass(frozen=True)
class Sanitised:
    data: bytes
    removed: tuple[str, ...]  # what was taken out, in words, for the index line


def sanitise(data: bytes) -> Sanitised:
    """The PDF rebuilt without scripts, actions, attachments, XFA or live form fields."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise NotSanitisable("encrypted")
            removed = _clean(pdf)
            out = io.BytesIO()
            pdf.save(out, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, KeyError, TypeError) as error:
        raise NotSanitisable(type(error).__name__) from error
    return Sanitised(out.getvalue(), tuple(dict.fromkeys(removed)))


def _clean(pdf: pikepdf.Pdf) -> list[str]:
    removed: list[str] = []
    root = pdf.Root
    if "/AcroForm" in root and "/XFA" in root.AcroForm:
        removed.append("an XFA form")
    if "/AcroForm" in root or any("/Annots" in page.obj for page in pdf.pages):
        pdf.flatten_annotations(mode="all")
    for key, words in _ROOT.items():
        if key in root:
            del root[key]
            removed.append(words)
    names = root.get("/Names")
    if isinstance(names, Dictionary):
        for key, words in _NAMES.items():
            if key in names:
                del names[key]
                removed.append(words)
    for page in pdf.pages:
        removed += _clean_page(page.obj)
    removed += _sweep(pdf.objects)
    return removed


def _clean_page(page: Dictionary) -> list[str]:
    removed = []
    if "/AA" in page:
        del page["/AA"]
        removed.append("page actions (scripts run when a page opens)")
    kept = []
    for annotation in page.get("/Annots") or []:
        problem = _annotation_problem(annotation)
        if problem is None:
            kept.append(annotation)
        else:
            removed.append(problem)
    if "/Annots" in page:
        if kept:
            page.Annots = pikepdf.Array(kept)
        else:
            del page["/Annots"]
    return removed


def _annotation_problem(annotation: pikepdf.Object) -> str | None:
    """Why the annotation must go; None for a plain link to a page of the same document."""
    subtype = annotation.get("/Subtype")
    if subtype == Name.FileAttachment:
        return "embedded files"
    if subtype != Name.Link:
        return "annotations (flattened into the page)" if subtype == Name.Widget else None
    action = annotation.get("/A")
    if isinstance(action, Dictionary) and action.get("/S") != Name.GoTo:
        return _DANGEROUS_ACTIONS.get(str(action.get("/S")), "actions")
    return None


def _sweep(objects: Iterable[object]) -> list[str]:
    """Whatever is left anywhere in the file: action dictionaries emptied, active keys dropped."""
    removed = []
    for obj in objects:
        if not isinstance(obj, Dictionary):
            continue
        kind = str(obj.get("/S", ""))
        if kind in _DANGEROUS_ACTIONS:
            removed.append(_DANGEROUS_ACTIONS[kind])
            for key in list(obj.keys()):
                del obj[key]
            continue
        for key in ACTIVE_KEYS:
            if key in obj:
                del obj[key]
                removed.append("actions" if key in ("/AA", "/OpenAction") else "JavaScript")
        if obj.get("/Type") == Name.EmbeddedFile or obj.get("/Type") == Name.Filespec:
            removed.append("embedded files")
    return removed
