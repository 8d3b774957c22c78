"""Meetings in the desk: the list, building the bundle, the editions to download, and the
panel's decisions entered in a form and checked exactly as the filled decision log is."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from openpyxl import Workbook

from pipeline import admin
from pipeline.atomic import write_atomic
from pipeline.context import Context
from pipeline.errors import PipelineError
from pipeline.meetings.bundle.outputs import DECISION_LOG
from pipeline.meetings.decision_log.columns import (
    ACTIONS,
    AMOUNT,
    CASE_REF,
    DECISION,
    REVIEW,
    SHEET,
    DecisionLogError,
)
from pipeline.meetings.models import CaseFile, Finance, ReviewDue
from pipeline.meetings.pack import meeting_pack
from pipeline.meetings.record_decisions import Imported, import_decisions
from pipeline.models import Meeting
from pipeline.outcomes import Decision
from pipeline.rules.cutoff import meetings

EDITIONS = {"panel": "bundle-panel.pdf", "full": "bundle-full.pdf", "log": DECISION_LOG}
FORM_COLUMNS = (CASE_REF, DECISION, AMOUNT, REVIEW, ACTIONS)


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    cases: int
    built: tuple[str, ...]  # the editions on disk: "panel", "full", "log"


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    cases: tuple[CaseFile, ...]
    decisions: dict[str, Decision]
    built: tuple[str, ...]
    finance: Finance
    reviews_due: tuple[ReviewDue, ...]


def meeting_dir(ctx: Context, day: date) -> Path:
    return ctx.config.paths.outbox / "meetings" / day.isoformat()


def built_editions(ctx: Context, day: date) -> tuple[str, ...]:
    folder = meeting_dir(ctx, day)
    return tuple(e for e, name in EDITIONS.items() if (folder / name).exists())


def meeting_rows(ctx: Context) -> list[MeetingRow]:
    return [
        MeetingRow(m, len(ctx.register.cases_for_meeting(m.day)), built_editions(ctx, m.day))
        for m in meetings(ctx.config.meetings)
    ]


def meeting_page(ctx: Context, day: date) -> MeetingPage:
    """The agenda, the money (as the bundle's finance page has it) and what was decided."""
    pack = meeting_pack(ctx, day)
    return MeetingPage(
        meeting=pack.meeting,
        cases=pack.cases,
        decisions={d.case_ref: d for d in ctx.register.decisions() if d.meeting == day},
        built=built_editions(ctx, day),
        finance=pack.finance,
        reviews_due=pack.reviews_due,
    )


def build_bundle(ctx: Context, day: date, by: str) -> list[Path]:
    return admin.make_bundle(ctx, day, by)


def enter_decisions(ctx: Context, day: date, rows: list[dict[str, str]], by: str) -> Imported:
    """The form's rows written as a decision log (kept beside the bundle) and imported as a
    filled log is: every row checked first; a bad row names its case and nothing is saved."""
    refs = [row.get(CASE_REF, "") for row in rows]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = meeting_dir(ctx, day) / f"decisions-entered-{stamp}.xlsx"
    write_atomic(path, _workbook(rows))
    try:
        return import_decisions(ctx, path, day, by)
    except DecisionLogError as error:
        path.unlink(missing_ok=True)
        raise PipelineError(_by_case(error, refs)) from None


def import_log(ctx: Context, day: date, name: str, data: bytes, by: str) -> Imported:
    """A filled decision log uploaded through the desk, imported as `pipeline meeting
    decisions` imports it."""
    safe = "".join(c for c in Path(name).name if c.isalnum() or c in "-_.")[:80] or "log.xlsx"
    path = meeting_dir(ctx, day) / f"uploaded-{safe}"
    write_atomic(path, data)
    return import_decisions(ctx, path, day, by)


def _workbook(rows: list[dict[str, str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(FORM_COLUMNS))
    for row in rows:
        sheet.append([row.get(column, "").strip() or None for column in FORM_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _by_case(error: DecisionLogError, refs: list[str]) -> str:
    """The log's "row 3, column 'Amount agreed'" said as the form shows it: by case."""
    if error.row is None or not 2 <= error.row < len(refs) + 2:
        return str(error).removeprefix("decision log ")
    text = str(error).split(": ", 1)[-1]
    return f"{refs[error.row - 2]}, {error.column}: {text}"
