"""The admin's tracker: an Excel workbook of every submission and every finding.

Sheet "Submissions" has a row per submission, sheet "Findings" a row per finding; both have a
bold frozen header, a filter and real Excel dates. The same inputs give the same bytes: the
workbook's and the zip entries' timestamps are the ``generated_at`` given, not the clock.
The meetings' sheets (capital, impact) are ``meetings.tracker_sheets``. A few lines over 250,
it stays whole: the two sheets share their columns' widths, filters and cell typing here.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping, Sequence
from copy import copy
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from pipeline.atomic import write_atomic
from pipeline.models import Severity, Submission
from pipeline.outcomes import Decision
from pipeline.reports import wording
from pipeline.reports.text_cells import as_text
from pipeline.reports.view import (
    SortStub,
    all_findings,
    case_ref,
    count,
    finding_field_label,
    newest_first_entries,
    sort_stub,
)
from schemas import main_form_kind
from schemas.about import amount_requested_of

DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "£#,##0.00"
MONEY_COLUMNS = ("Amount requested (£)", "Amount agreed (£)", "Committed (£)")
Sheet = tuple[str, Sequence[tuple[str, int, bool]], list[list[Any]]]  # name, columns, rows
DECISION_AT = 12  # the decision's three columns go here, after the amount requested

# (header, width in characters, wraps); the order is the order of the columns.
SUBMISSION_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Case ref", 15, False),
    ("Submission id", 24, False),
    ("Received", 12, False),
    ("Sender", 30, False),
    ("Request type", 26, False),
    ("Setting", 32, False),
    ("Pupil initials", 9, False),
    ("Meeting", 12, False),
    ("Status", 13, False),
    ("Errors", 8, False),
    ("Warnings", 10, False),
    ("Amount requested (£)", 14, False),
    ("Decision", 20, False),
    ("Amount agreed (£)", 14, False),
    ("Committed (£)", 14, False),
    ("What needs fixing", 80, True),
)
FINDING_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Case ref", 15, False),
    ("Submission id", 24, False),
    ("Severity", 12, False),
    ("Code", 24, False),
    ("Field", 34, False),
    ("Document", 32, False),
    ("Message", 80, True),
)


def write_tracker(
    path: Path,
    submissions: Iterable[Submission],
    generated_at: datetime,
    decisions: Mapping[str, Decision] | None = None,
) -> None:
    """Write the tracker of ``submissions`` to ``path`` atomically, newest submission first."""
    write_atomic(path, tracker_bytes(submissions, generated_at, decisions))


def tracker_bytes(
    submissions: Iterable[Submission],
    generated_at: datetime,
    decisions: Mapping[str, Decision] | None = None,
) -> bytes:
    rows = TrackerRows(decisions)
    for submission in submissions:
        rows.add(submission)
    return rows.workbook(generated_at)


TrackerPart = tuple[list[Any], list[list[Any]]]  # a submission's row and its findings' rows


class TrackerRows:
    """The tracker's rows, gathered one submission at a time (a submission is not kept).

    The panel's decisions (by case reference) are added as the workbook is written, on the
    newest row of each case only, so that a column's total counts each case once.
    """

    def __init__(self, decisions: Mapping[str, Decision] | None = None) -> None:
        self._entries: list[tuple[SortStub, TrackerPart]] = []
        self._decisions = dict(decisions or {})

    @staticmethod
    def part(submission: Submission) -> TrackerPart:
        """A submission's rows, which depend on the submission alone."""
        return _submission_row(submission), _finding_rows(submission)

    def add(self, submission: Submission) -> None:
        self.add_part(sort_stub(submission), self.part(submission))

    def add_part(self, stub: SortStub, part: TrackerPart) -> None:
        """A submission's rows, placed by its sort stub (see view.sort_stub)."""
        self._entries.append((stub, part))

    def workbook(self, generated_at: datetime, extra: Sequence[Sheet] = ()) -> bytes:
        """The workbook; ``extra`` sheets (the capital round, the impact measures) follow."""
        ordered = newest_first_entries(self._entries)
        seen: set[str] = set()
        ordered = [(self._with_decision(row, seen), rows) for row, rows in ordered]
        # Write-only: rows are streamed out as they are appended, not held as cell objects.
        workbook = Workbook(write_only=True)
        _fill(workbook.create_sheet("Submissions"), SUBMISSION_COLUMNS, [r for r, _ in ordered])
        _fill(
            workbook.create_sheet("Findings"),
            FINDING_COLUMNS,
            [row for _, rows in ordered for row in rows],
        )
        for name, columns, rows in extra:
            _fill(workbook.create_sheet(name), columns, rows)
        when = _utc_naive(generated_at)
        workbook.properties.created = when
        workbook.properties.modified = when
        workbook.properties.title = "Referrals tracker"
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(workbook, archive).save()
        return _stamped(buffer.getvalue(), when)

    def _with_decision(self, row: list[Any], seen: set[str]) -> list[Any]:
        ref = str(row[0])
        decision = self._decisions.get(ref) if ref not in seen else None
        seen.add(ref)
        cells: list[Any] = [None, None, None]
        if decision is not None:
            agreed = decision.amount_agreed
            committed = (agreed or Decimal(0)) if decision.decision.commits_money else Decimal(0)
            cells = [decision.decision.value, agreed, committed]
        return [*row[:DECISION_AT], *cells, *row[DECISION_AT:]]


def _submission_row(submission: Submission) -> list[Any]:
    findings = all_findings(submission)
    errors = [f.message for f in findings if f.severity is Severity.error]
    return [
        case_ref(submission),
        submission.submission_id,
        wording.uk_time(submission.received_at).date(),
        submission.sender or "",
        wording.request_type(submission.request_type),
        submission.setting or "",
        submission.pupil_initials or "",
        submission.meeting,
        wording.STATUS_NAMES[submission.status],
        len(errors),
        count(findings, Severity.warning),
        _amount_requested(submission),
        "\n".join(errors),
    ]


def _amount_requested(submission: Submission) -> Decimal | None:
    """The amount on the submission's main form, when it carries one."""
    if submission.request_type is None:
        return None
    kind = main_form_kind(submission.request_type)
    main = next((d for d in submission.documents if d.kind == kind), None)
    return amount_requested_of(main.form) if main else None


def _finding_rows(submission: Submission) -> list[list[Any]]:
    return [
        [
            case_ref(submission),
            submission.submission_id,
            wording.SEVERITY_NAMES[finding.severity],
            finding.code,
            finding_field_label(submission, finding) or "",
            finding.document or "",
            finding.message,
        ]
        for finding in all_findings(submission)
    ]


def _fill(sheet: Any, columns: Sequence[tuple[str, int, bool]], rows: list[list[Any]]) -> None:
    """A bold frozen header with a filter, then the rows, each column wrapped or not."""
    for index, (_, width, _) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    styles = _CellStyles(sheet)
    header_font, header_alignment = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    sheet.append([styles.cell(header, header_alignment, header_font) for header, _, _ in columns])
    alignments = [Alignment(vertical="top", wrap_text=wraps) for _, _, wraps in columns]
    money = [header in MONEY_COLUMNS for header, _, _ in columns]
    for row in rows:
        sheet.append(
            [
                styles.cell(value, a, money=m)
                for value, a, m in zip(row, alignments, money, strict=True)
            ]
        )


class _CellStyles:
    """Cells of one sheet, styled. openpyxl files a style given to a cell by comparing it with
    every style of the workbook, which made the tracker most of the reports' time; here each
    kind of cell is styled once and the cells of that kind share the result."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self._styled: dict[tuple[int, int, str | None], Any] = {}

    def cell(
        self, value: Any, alignment: Alignment, font: Font | None = None, *, money: bool = False
    ) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        number_format = _number_format(value, money)
        key = (id(alignment), id(font), number_format)
        model = self._styled.get(key)
        if model is None:
            model = self._styled[key] = _styled(self.sheet, alignment, font, number_format)
        cell._style = copy(model._style)
        return as_text(cell)


def _styled(
    sheet: Any, alignment: Alignment, font: Font | None, number_format: str | None
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    cell.alignment = alignment
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _number_format(value: Any, money: bool) -> str | None:
    if isinstance(value, date):
        return DATE_FORMAT
    if money and isinstance(value, int | float | Decimal):
        return MONEY_FORMAT
    return None


def _utc_naive(moment: datetime) -> datetime:
    """Office stores document times in UTC without a zone; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(microsecond=0)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _stamped(data: bytes, when: datetime) -> bytes:
    """The same zip with every entry dated ``when`` instead of the moment it was written."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
