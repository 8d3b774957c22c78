"""What the admin sees of a submission, worked out once: words, counts, labels, formatted values.

The HTML template only lays these views out; the tracker reads the same findings and counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, TypeVar

from pipeline.models import ExtractedDocument, FieldRead, Finding, Line, Severity, Submission
from pipeline.reports import wording
from schemas import FORMS, ProvisionLine, Record, filled, specs
from schemas.types import Kind, Value

T = TypeVar("T")

NUMERIC_KINDS = (Kind.money, Kind.int, Kind.number, Kind.percent)


@dataclass(frozen=True)
class FindingView:
    message: str
    code: str
    field: str | None
    document: str | None


@dataclass(frozen=True)
class FindingGroup:
    severity: str
    heading: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True)
class FieldRow:
    label: str
    value: str
    where: str
    problem: str | None


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool


@dataclass(frozen=True)
class DocumentView:
    filename: str
    kind: str
    sha_short: str
    fields: tuple[FieldRow, ...]
    line_columns: tuple[Column, ...]
    lines: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SubmissionView:
    anchor: str
    title: str
    case_ref: str
    submission_id: str
    received: str
    received_date: str
    received_time: str
    sender: str
    subject: str
    request_type: str
    setting: str
    pupil_initials: str
    meeting: str
    status: str
    status_name: str
    status_meaning: str
    errors: int
    warnings: int
    groups: tuple[FindingGroup, ...]
    documents: tuple[DocumentView, ...]


def newest_first(submissions: Sequence[Submission]) -> list[Submission]:
    by_id = sorted(submissions, key=lambda s: s.submission_id)
    return sorted(by_id, key=lambda s: s.received_at, reverse=True)


class SortStub(NamedTuple):
    """All ``newest_first`` needs of a submission; the reports keep this, not the submission
    (a copy of it keeps its email's text and every other field alive)."""

    submission_id: str
    received_at: datetime


def sort_stub(submission: Submission) -> SortStub:
    return SortStub(submission.submission_id, submission.received_at)


def newest_first_entries(entries: Sequence[tuple[SortStub, T]]) -> list[T]:
    """What was kept of each submission (beside its sort stub), newest submission first, in
    the order of ``newest_first``."""
    by_id = sorted(entries, key=lambda entry: entry[0].submission_id)
    return [kept for _, kept in sorted(by_id, key=lambda entry: entry[0].received_at, reverse=True)]


def all_findings(submission: Submission) -> tuple[Finding, ...]:
    """The submission's findings, then any of its documents' findings not already among them."""
    seen = list(submission.findings)
    for document in submission.documents:
        seen.extend(f for f in document.findings if f not in seen)
    return tuple(seen)


def count(findings: Sequence[Finding], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


def finding_field_label(submission: Submission, finding: Finding) -> str | None:
    if finding.field is None:
        return None
    kind = next((d.kind for d in submission.documents if d.filename == finding.document), None)
    return wording.field_label(kind, finding.field)


def case_ref(submission: Submission) -> str:
    return submission.case_ref or "No case reference"


def view_submission(submission: Submission) -> SubmissionView:
    findings = all_findings(submission)
    return SubmissionView(
        anchor="sub-" + re.sub(r"[^A-Za-z0-9_-]+", "-", submission.submission_id),
        title=_title(submission),
        case_ref=case_ref(submission),
        submission_id=submission.submission_id,
        received=wording.format_moment(submission.received_at),
        received_date=wording.format_date(submission.received_at),
        received_time=f"{wording.uk_time(submission.received_at):%H:%M}",
        sender=submission.sender or "No sender (dropped into the inbox folder)",
        subject=submission.subject or "(no subject)",
        request_type=wording.request_type(submission.request_type),
        setting=submission.setting or "Not known",
        pupil_initials=submission.pupil_initials or "—",
        meeting=wording.format_date(submission.meeting) if submission.meeting else "Not yet set",
        status=submission.status.value,
        status_name=wording.STATUS_NAMES[submission.status],
        status_meaning=wording.STATUS_MEANINGS[submission.status],
        errors=count(findings, Severity.error),
        warnings=count(findings, Severity.warning),
        groups=_groups(submission, findings),
        documents=tuple(_document(d) for d in submission.documents),
    )


def _title(submission: Submission) -> str:
    if submission.case_ref:
        return f"{submission.case_ref}: {wording.request_type(submission.request_type)}"
    sender = submission.sender or "the inbox folder"
    return f"Email from {sender}, {wording.format_moment(submission.received_at)}"


def _groups(submission: Submission, findings: Sequence[Finding]) -> tuple[FindingGroup, ...]:
    groups = []
    for severity in wording.SEVERITY_ORDER:
        views = tuple(
            FindingView(
                message=f.message,
                code=f.code,
                field=finding_field_label(submission, f),
                document=f.document,
            )
            for f in findings
            if f.severity is severity
        )
        if views:
            groups.append(FindingGroup(severity.value, wording.SEVERITY_HEADINGS[severity], views))
    return tuple(groups)


def _document(document: ExtractedDocument) -> DocumentView:
    form = FORMS.get(document.kind)
    values = _values(document.form)
    rows = []
    for field_id in wording.field_order(form, list(document.fields)):
        found, value = document.fields[field_id], values.get(field_id)
        kind = wording.field_kind(form, field_id)
        rows.append(
            FieldRow(
                label=wording.field_label(document.kind, field_id),
                value=_shown(found, value, kind),
                where=found.source.location,
                problem=_problem(found, value),
            )
        )
    line_ids = wording.field_order(
        ProvisionLine, list(dict.fromkeys(k for line in document.lines for k in line.fields))
    )
    kinds = {s.id: s.kind for s in specs(ProvisionLine)}
    columns = [Column(wording.line_label(f), kinds.get(f) in NUMERIC_KINDS) for f in line_ids]
    return DocumentView(
        filename=document.filename,
        kind=wording.document_kind(document.kind),
        sha_short=document.sha256[:12],
        fields=tuple(rows),
        line_columns=(*columns, Column("Where it came from", numeric=False)),
        lines=tuple(_line(line, line_ids, kinds) for line in document.lines),
    )


def _values(record: Record | None) -> dict[str, Value]:
    return dict(filled(record)) if record is not None else {}


def _line(line: Line, ids: Sequence[str], kinds: dict[str, Kind]) -> tuple[str, ...]:
    values = _values(line.values)
    cells = tuple(
        _shown(line.fields[f], values.get(f), kinds.get(f)) if f in line.fields else "" for f in ids
    )
    first = next(iter(line.fields.values()), None)
    return (*cells, first.source.location if first else "")


def _problem(found: FieldRead, value: Value | None) -> str | None:
    """Why a value written on the form could not be read, or None when it was read."""
    if value is not None:
        return None
    return found.problem or "could not be read"


def _shown(found: FieldRead, value: Value | None, kind: Kind | None) -> str:
    """The typed value formatted; a value that could not be read is shown as the school wrote it."""
    if value is None:
        return found.raw.strip() or wording.NOT_GIVEN
    return wording.format_value(value, kind)
