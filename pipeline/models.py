"""The frozen models passed between stages: a message, its documents, their values, findings.

Data flows one way: sources -> intake -> read -> extract -> rules -> register -> reports.
Each stage takes these models and returns new ones; nothing is mutated in place.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


class Status(StrEnum):
    complete = "complete"
    incomplete = "incomplete"
    quarantined = "quarantined"


class RequestType(StrEnum):
    ipn = "ipn"
    project = "project"
    ehcp_exceptional = "ehcp_exceptional"
    capital = "capital"
    review = "review"


# --- intake ------------------------------------------------------------------------------


class Incoming(Frozen):
    """What a source hands over: raw bytes and where they came from. Nothing parsed yet."""

    source: str
    ref: str
    filename: str
    data: bytes = Field(repr=False)
    arrived_at: datetime


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
    received_at: datetime
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
    value: Any = None


class Grid(Frozen):
    """A table of a Word document or a sheet of a workbook: rows of cells, merged cells once."""

    name: str
    rows: tuple[tuple[Cell, ...], ...]


class ReadDocument(Frozen):
    """What a reader makes of a file: its paragraphs and tables, in reading order."""

    filename: str
    sha256: str
    format: str
    paragraphs: tuple[Cell, ...] = ()
    grids: tuple[Grid, ...] = ()

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


class FieldValue(Frozen):
    """One field as found in a document: the raw text, the typed value, where it came from."""

    field: str
    raw: str
    value: Any = None
    problem: str | None = None
    source: Provenance

    @property
    def has_value(self) -> bool:
        return self.value is not None


class Acceptance(Frozen):
    """The admin's decision to let a finding stand, with who, when and why."""

    by: str
    at: datetime
    reason: str


class Finding(Frozen):
    code: str
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


class ExtractedDocument(Frozen):
    """A classified document with its fields read and typed; problems reading it are findings."""

    filename: str
    sha256: str
    kind: str
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    lines: tuple[dict[str, FieldValue], ...] = ()
    findings: tuple[Finding, ...] = ()

    def value(self, field_id: str) -> Any:
        found = self.fields.get(field_id)
        return found.value if found else None


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
