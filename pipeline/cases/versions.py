"""A request across emails: every document that arrived for a case, and the current ones.

A request may arrive over several emails (the provision map a day later). The latest version
of each form is the one used; earlier versions are kept and marked superseded.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pipeline.models import ExtractedDocument, Finding, Submission
from pipeline.rules import finding
from schemas import FORMS
from schemas.codes import RuleCode

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
