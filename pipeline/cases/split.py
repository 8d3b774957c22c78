"""Which of an email's documents make which request, and what identifies a request's case.

An email may carry several referrals (each form paired with its provision map by the pupil's
identity). A follow-up joins its case by the case reference quoted in its subject or body,
failing that by setting and pupil (or project title) within the academic year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.models import ExtractedDocument, Message
from schemas import FORMS, is_main_form, normalise_label
from schemas.about import date_of_birth_of, project_title_of, pupil_name_of, upn_of
from schemas.names import fold_name


def quoted_case_refs(message: Message, prefix: str) -> list[str]:
    """Case references quoted in the subject or body, in the order they appear."""
    return case_refs_in(f"{message.subject}\n{message.body}", prefix)


def case_refs_in(text: str, prefix: str) -> list[str]:
    """Case references in ``text``, in the order they appear, each once."""
    pattern = re.compile(rf"\b{re.escape(prefix)}-\d{{4}}-\d{{4}}\b", re.IGNORECASE)
    return list(dict.fromkeys(ref.upper() for ref in pattern.findall(text)))


def document_identity(document: ExtractedDocument) -> str | None:
    form = document.form
    upn = upn_of(form)
    if upn:
        return "upn:" + _compact(upn)
    name = pupil_name_of(form)
    born = date_of_birth_of(form)
    if name and born:
        return f"pupil:{fold_name(name)}:{born.isoformat()}"
    title = project_title_of(form)
    if title:
        return "project:" + normalise_label(title)
    return None


def split_requests(documents: Sequence[ExtractedDocument]) -> list[list[ExtractedDocument]]:
    """One request per referral form; each provision map joins the form of the same pupil,
    everything else the first request. An email with one form is one request."""
    forms = [d for d in documents if is_main_form(d.kind)]
    if len(forms) <= 1:
        return [list(documents)]
    groups: list[list[ExtractedDocument]] = [[form] for form in forms]
    for document in documents:
        if is_main_form(document.kind):
            continue
        best = max(range(len(forms)), key=lambda i: _likeness(forms[i], document))
        if document.kind in FORMS and _likeness(forms[best], document) > 0:
            groups[best].append(document)
        else:
            groups[0].append(document)
    return groups


def _likeness(form: ExtractedDocument, other: ExtractedDocument) -> int:
    """How surely two documents are about the same pupil: UPN, date of birth, name."""
    score = 0
    upn = upn_of(form.form)
    if upn and _compact(upn) == _compact(upn_of(other.form)):
        score += 4
    born = date_of_birth_of(form.form)
    if born and born == date_of_birth_of(other.form):
        score += 2
    name, other_name = pupil_name_of(form.form), pupil_name_of(other.form)
    if name and other_name and fold_name(name) == fold_name(other_name):
        score += 2
    return score


def _compact(upn: str | None) -> str:
    return re.sub(r"[\s-]", "", upn or "").upper()
