"""Cases: one request's documents across emails, and which email's documents belong to which.

An email may carry several referrals (each form paired with its provision map by the pupil's
identity), and a request may arrive over several emails (the provision map a day later). A
follow-up joins its case by the case reference quoted in its subject or body, failing that by
setting and pupil (or project title) within the academic year. The latest version of each
form is the one used; earlier versions are kept and marked superseded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from pipeline.models import ExtractedDocument, Finding, Message, Submission
from pipeline.rules import finding
from schemas import FORMS, is_main_form, normalise_label
from schemas.about import date_of_birth_of, project_title_of, pupil_name_of, upn_of
from schemas.codes import RuleCode


def quoted_case_refs(message: Message, prefix: str) -> list[str]:
    """Case references quoted in the subject or body, in the order they appear."""
    pattern = re.compile(rf"\b{re.escape(prefix)}-\d{{4}}-\d{{4}}\b", re.IGNORECASE)
    found = pattern.findall(f"{message.subject}\n{message.body}")
    return list(dict.fromkeys(ref.upper() for ref in found))


def document_identity(document: ExtractedDocument) -> str | None:
    form = document.form
    upn = upn_of(form)
    if upn:
        return "upn:" + _compact(upn)
    name = pupil_name_of(form)
    born = date_of_birth_of(form)
    if name and born:
        return f"pupil:{normalise_label(name)}:{born.isoformat()}"
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
    if name and other_name and normalise_label(name) == normalise_label(other_name):
        score += 2
    return score


def _compact(upn: str | None) -> str:
    return re.sub(r"[\s-]", "", upn or "").upper()


Arrival = tuple[datetime, str, ExtractedDocument]  # when, which submission, the document


def arrivals(submissions: Sequence[Submission]) -> list[Arrival]:
    """Every document of a case's submissions, with when and in which submission it came."""
    return [(s.received_at, s.submission_id, d) for s in submissions for d in s.documents]


def current_documents(arrivals: Sequence[Arrival]) -> tuple[list[Arrival], list[Finding]]:
    """The latest version of each form kind, every supporting document once; and a
    ``superseded`` finding for each earlier version replaced."""
    latest: dict[str, Arrival] = {}
    others: dict[str, Arrival] = {}
    superseded: list[Finding] = []
    for arrival in sorted(arrivals, key=lambda a: a[0]):
        document = arrival[2]
        if document.kind in FORMS:
            replaced = latest.get(document.kind)
            if replaced is not None and replaced[2].sha256 != document.sha256:
                superseded.append(_superseded(replaced[2], document))
            latest[document.kind] = arrival
        else:
            others.setdefault(document.sha256, arrival)
    return [*latest.values(), *others.values()], superseded


def _superseded(old: ExtractedDocument, new: ExtractedDocument) -> Finding:
    return finding(
        RuleCode.superseded,
        old=old.filename,
        new=new.filename,
        document=old.filename,
    )
