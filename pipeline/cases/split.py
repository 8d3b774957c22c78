"""Which of an email's documents make which request, and what identifies a request's case.

An email may carry several referrals (each form paired with its provision map by the pupil's
identity). A follow-up joins its case by the case reference quoted in its subject or body,
failing that by setting and pupil (or project title) within the academic year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pipeline.models import ExtractedDocument, Message
from pipeline.rules.pupil import pupil_name
from pipeline.rules.requests import MAIN_FORM
from schemas import FORMS, normalise_label

MAIN_FORM_KINDS = frozenset(MAIN_FORM.values())


def quoted_case_refs(message: Message, prefix: str) -> list[str]:
    """Case references quoted in the subject or body, in the order they appear."""
    pattern = re.compile(rf"\b{re.escape(prefix)}-\d{{4}}-\d{{4}}\b", re.IGNORECASE)
    found = pattern.findall(f"{message.subject}\n{message.body}")
    return list(dict.fromkeys(ref.upper() for ref in found))


def document_identity(document: ExtractedDocument) -> str | None:
    if document.value("upn"):
        return "upn:" + _compact(document.value("upn"))
    name = pupil_name(document)
    born = document.value("date_of_birth")
    if name and isinstance(born, date):
        return f"pupil:{normalise_label(name)}:{born.isoformat()}"
    title = document.value("project_title")
    if title:
        return "project:" + normalise_label(str(title))
    return None


def split_requests(documents: Sequence[ExtractedDocument]) -> list[list[ExtractedDocument]]:
    """One request per referral form; each provision map joins the form of the same pupil,
    everything else the first request. An email with one form is one request."""
    forms = [d for d in documents if d.kind in MAIN_FORM_KINDS]
    if len(forms) <= 1:
        return [list(documents)]
    groups: list[list[ExtractedDocument]] = [[form] for form in forms]
    for document in documents:
        if document.kind in MAIN_FORM_KINDS:
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
    if form.value("upn") and _compact(form.value("upn")) == _compact(other.value("upn")):
        score += 4
    if form.value("date_of_birth") and form.value("date_of_birth") == other.value("date_of_birth"):
        score += 2
    name, other_name = pupil_name(form), pupil_name(other)
    if name and other_name and normalise_label(name) == normalise_label(other_name):
        score += 2
    return score


def _compact(upn: object) -> str:
    return re.sub(r"[\s-]", "", str(upn or "")).upper()
