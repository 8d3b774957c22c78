"""A case as the desk shows it: documents with each field beside where it was read, open and
accepted findings, versions and what the admin did, notes and the current reply draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipeline.cases.assess import london_date
from pipeline.context import Context
from pipeline.desk.drafts import CaseDrafts, case_drafts
from pipeline.desk.notes import Note, case_notes
from pipeline.desk.store import DeskStore
from pipeline.meetings.models import CaseFile
from pipeline.meetings.pack import case_file
from pipeline.models import ExtractedDocument, FieldRead, Meeting, Submission
from pipeline.register.base import AuditEntry
from pipeline.reports import wording
from pipeline.reports.reply import last_day_to_send
from pipeline.rules.cutoff import meetings
from schemas import FORMS, filled
from schemas.types import Kind, Value


@dataclass(frozen=True)
class FieldRow:
    label: str
    shown: str  # the value as read, or what was wrong with it
    problem: str | None
    blank: bool  # nothing written: not a problem unless a finding says it is required
    location: str
    document_sha: str
    finding: str | None = None  # the code of an open finding on this field, if any


@dataclass(frozen=True)
class DocumentView:
    filename: str
    kind: str
    sha256: str
    fields: tuple[FieldRow, ...]


@dataclass(frozen=True)
class CasePage:
    case: CaseFile
    submissions: tuple[Submission, ...]
    documents: tuple[DocumentView, ...]
    history: tuple[AuditEntry, ...]
    drafts: CaseDrafts
    notes: tuple[Note, ...]
    meetings: tuple[Meeting, ...]
    send_by: date | None


def case_page(ctx: Context, store: DeskStore, case_ref: str) -> CasePage:
    case = case_file(ctx, case_ref)
    submissions = ctx.register.case_submissions(case_ref)
    return CasePage(
        case=case,
        submissions=tuple(submissions),
        documents=tuple(_document(d, case) for d in case.documents),
        history=tuple(ctx.register.case_audit(case_ref)),
        drafts=case_drafts(ctx.config, store, submissions),
        notes=tuple(case_notes(store, case_ref)),
        meetings=tuple(meetings(ctx.config.meetings)),
        send_by=last_day_to_send(
            case.meeting,
            ctx.config,
            case.request_type,
            arrived=london_date(submissions[-1].received_at),
        ),
    )


def _document(document: ExtractedDocument, case: CaseFile) -> DocumentView:
    values = dict(filled(document.form)) if document.form is not None else {}
    form = FORMS.get(document.kind)
    flagged = {
        f.field: f.code
        for f in case.findings
        if f.field and f.document in (None, document.filename)
    }
    return DocumentView(
        filename=document.filename,
        kind=document.kind,
        sha256=document.sha256,
        fields=tuple(
            _field(
                document,
                found,
                values.get(found.field),
                wording.field_kind(form, found.field),
                flagged.get(found.field),
            )
            for found in document.fields.values()
        ),
    )


def _field(
    document: ExtractedDocument,
    found: FieldRead,
    value: Value | None,
    kind: Kind | None,
    finding: str | None,
) -> FieldRow:
    """A blank field is shown as left blank, not as a value that could not be read."""
    blank = not found.raw.strip() and value is None
    shown = found.raw if value is None else wording.format_value(value, kind)
    return FieldRow(
        finding=finding,
        label=wording.field_label(document.kind, found.field),
        shown="" if blank else shown,
        problem=None if blank or value is not None else found.problem or "could not be read",
        blank=blank,
        location=found.source.location,
        document_sha=document.sha256,
    )
