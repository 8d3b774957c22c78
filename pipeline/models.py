"""The frozen models passed between stages: a message, its documents, their values, findings.

Data flows one way: sources -> intake -> read -> extract -> rules -> register -> reports.
Each stage takes these models and returns new ones; nothing is mutated in place. Slightly
over 250 lines, kept whole: it is the journey's vocabulary, read top to bottom in the order
of the journey, and split by stage it would scatter the one page a reader looks things up in.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas import (
    FORMS,
    LINES,
    AnyForm,
    AnyLine,
    DocumentKind,
    Form,
    RequestType,
    RuleCode,
    Severity,
    read_record,
)
from schemas.fieldref import FieldRef
from schemas.types import RawValue

__all__ = ["DocumentKind", "RequestType", "RuleCode", "Severity"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Status(StrEnum):
    complete = "complete"
    incomplete = "incomplete"
    quarantined = "quarantined"


# --- intake ------------------------------------------------------------------------------


class Incoming(Frozen):
    """What a source hands over: raw bytes and where they came from. Nothing parsed yet."""

    source: str
    ref: str
    filename: str
    data: bytes = Field(repr=False)
    arrived_at: datetime
    # Set when the source could list the message but not fetch it (``data`` is then empty):
    # the runner counts the attempt and, after enough of them, quarantines the message.
    fetch_error: str | None = None


class Attachment(Frozen):
    """One file from a message, already stored durably under its hash."""

    filename: str
    sha256: str
    size: int
    content_type: str = "application/octet-stream"


class Message(Frozen):
    """A parsed email (or a loose document wrapped as one), its raw bytes stored by hash."""

    id: str
    sha256: str
    source: str
    message_id: str | None
    sender: str | None
    subject: str
    body: str = ""
    received_at: datetime  # when the council received it (see intake.mail.arrival)
    dated_at: datetime | None = None  # what its Date header claims: the sender's clock
    attachments: tuple[Attachment, ...]
    problems: tuple[str, ...] = ()
    authentication: tuple[str, ...] = ()  # Authentication-Results headers, topmost first
    loose: bool = False  # a file that is no email, dropped into inbox/ by the admin
    oversize: bool = False  # over intake.max_email_mb: stored, never parsed


# --- reading and extraction ----------------------------------------------------------------


class Provenance(Frozen):
    """Where a value was read: the document and the cell, paragraph or sheet cell."""

    document: str
    location: str


class Cell(Frozen):
    """One piece of text in a document, with its position: a table cell or a paragraph."""

    text: str
    location: str
    table: int | None = None
    row: int = 0
    col: int = 0
    value: RawValue = None
    confidence: float | None = None  # OCR's, 0 to 100, for text read from a scan
    problem: str | None = None  # why a spreadsheet formula has no value, for the school


class Grid(Frozen):
    """A table of a Word document or a sheet of a workbook: rows of cells, merged cells once."""

    name: str
    rows: tuple[tuple[Cell, ...], ...]
    page: int | None = None  # a PDF's page the table is on (the last, once joined across)


SPREADSHEET_FORMATS = ("xlsx", "xls", "ods")


class ReadDocument(Frozen):
    """What a reader makes of a file: its paragraphs and tables, in reading order."""

    filename: str
    sha256: str
    format: str
    paragraphs: tuple[Cell, ...] = ()
    grids: tuple[Grid, ...] = ()
    # How long reading it by OCR took in the worker (page images and Tesseract): not content,
    # but the run's OCR stage time, which only the worker can measure.
    ocr_seconds: float = 0.0
    pages_unread: int = 0  # of a scan longer than OCR reads: the pages after those it read

    @property
    def is_spreadsheet(self) -> bool:
        """Read from a workbook (.xlsx, or an .xls or .ods converted to one)."""
        return self.format in SPREADSHEET_FORMATS

    def title_line(self) -> str:
        for cell in self.paragraphs:
            if cell.text.strip():
                return cell.text.strip()
        for grid in self.grids:
            for row in grid.rows:
                for cell in row:
                    if cell.text.strip():
                        return cell.text.strip()
        return ""


class FieldRead(Frozen):
    """Where one field's value was read: the text as printed, the place, and, when the text
    could not be read as the field's type, why (the typed value itself is in the form)."""

    field: str
    raw: str
    problem: str | None = None
    source: Provenance


class Acceptance(Frozen):
    """The admin's decision to let a finding stand, with who, when and why."""

    by: str
    at: datetime
    reason: str


class Finding(Frozen):
    code: RuleCode
    severity: Severity
    field: str | None = None
    document: str | None = None
    message: str
    accepted: Acceptance | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.code, self.field or "", self.document or "")

    @property
    def open_error(self) -> bool:
        return self.severity is Severity.error and self.accepted is None


class Line(Frozen):
    """One row of a document's table of lines: its typed values and where each was read."""

    values: AnyLine
    fields: dict[str, FieldRead] = Field(default_factory=dict)

    def read(self, field: FieldRef[object]) -> FieldRead | None:
        """Where the line's ``field`` was read, and what was found there; None if nowhere."""
        return self.fields.get(field.id)


class ExtractedDocument(Frozen):
    """A classified document: its values validated once into its form's model (``form``),
    where each was read (``fields``, in the order found), its lines, and its findings.

    A document that is no form (supporting, blocked, unreadable) has no ``form``. Stored as
    JSON, the values carry no types; loading validates them again by the kind's form.
    """

    filename: str
    sha256: str
    kind: DocumentKind
    form: AnyForm | None = None
    fields: dict[str, FieldRead] = Field(default_factory=dict)
    lines: tuple[Line, ...] = ()
    findings: tuple[Finding, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _typed_by_kind(cls, data: object) -> object:
        """Stored values are validated again by the kind's form, field by field (a value a
        later schema no longer reads is left out, as extraction would leave it out)."""
        if not isinstance(data, dict) or data.get("kind") not in FORMS:
            return data
        kind = DocumentKind(data["kind"])
        typed = dict(data)
        if isinstance(data.get("form"), dict):
            typed["form"], _ = read_record(FORMS[kind], data["form"])
        line = LINES.get(kind)
        if line is not None and data.get("lines"):
            typed["lines"] = tuple(_typed_line(row, line) for row in data["lines"])
        return typed

    def read(self, field: FieldRef[object]) -> FieldRead | None:
        """Where the document's ``field`` was read, and what was found there; None if nowhere."""
        return self.fields.get(field.id)

    def form_as(self, form: type[F]) -> F | None:
        """The document's values when it is a ``form`` (narrowed for the type checker)."""
        return self.form if isinstance(self.form, form) else None


F = TypeVar("F", bound=Form)


def _typed_line(row: object, line: type[AnyLine]) -> object:
    if isinstance(row, dict) and isinstance(row.get("values"), dict):
        values, _ = read_record(line, row["values"])
        return {**row, "values": values}
    return row


# --- outcome -----------------------------------------------------------------------------


class Meeting(Frozen):
    day: date
    cutoff: date


class Submission(Frozen):
    """Everything one email led to: the SPEC section 6 record plus provenance."""

    submission_id: str
    case_ref: str | None
    received_at: datetime
    sender: str | None
    subject: str
    request_type: RequestType | None
    status: Status
    meeting: date | None
    setting: str | None
    pupil_initials: str | None
    documents: tuple[ExtractedDocument, ...]
    findings: tuple[Finding, ...]
