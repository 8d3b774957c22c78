"""The queue: what needs the admin now, one row per case, newest first, with filters."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from pipeline.config import Config
from pipeline.desk import registry
from pipeline.desk.store import DeskStore
from pipeline.models import Meeting, RequestType
from pipeline.rules.cutoff import meetings
from schemas.catalogue import MAIN_FORMS

STATUSES = ("incomplete", "complete", "quarantined")
FAILURE_CODES = ("unreadable_document", "damaged_email", "blocked_file_type", "processing_failed")
LOW_CONFIDENCE_CODES = ("scanned_document", "low_confidence")


class Need(StrEnum):
    """The queue's ready-made views, each answering "what needs me now?"."""

    all = "all"
    incomplete = "incomplete"
    quarantined = "quarantined"
    failures = "failures"
    low_confidence = "low_confidence"
    drafts = "drafts"
    next_meeting = "next_meeting"


NEED_NAMES = {
    Need.all: "Everything",
    Need.incomplete: "Incomplete",
    Need.quarantined: "Quarantined",
    Need.failures: "Processing failures",
    Need.low_confidence: "Values read with low confidence",
    Need.drafts: "Reply drafts not yet sent",
    Need.next_meeting: "Listed for the next meeting",
}


@dataclass(frozen=True)
class QueueFilter:
    need: Need = Need.all
    status: str = ""
    meeting: str = ""
    setting: str = ""
    finding: str = ""
    page: int = 1  # of the queue's pages, newest first

    @classmethod
    def of(cls, query: dict[str, str]) -> QueueFilter:
        need = query.get("need", "all")
        return cls(
            need=Need(need) if need in Need.__members__ else Need.all,
            status=query.get("status", ""),
            meeting=query.get("meeting", ""),
            setting=query.get("setting", ""),
            finding=query.get("finding", ""),
            page=int(page) if (page := query.get("page", "1")).isdigit() and int(page) else 1,
        )

    def link(self, page: int) -> str:
        """The address of another page of the queue with these same filters."""
        query = {
            "need": self.need.value,
            "status": self.status,
            "meeting": self.meeting,
            "setting": self.setting,
            "finding": self.finding,
            "page": str(page) if page > 1 else "",
        }
        return "/queue?" + urlencode({key: value for key, value in query.items() if value})


@dataclass(frozen=True)
class QueueRow:
    submission_id: str
    case_ref: str | None
    request_type: RequestType | None
    status: str
    meeting: str | None
    setting: str | None
    initials: str | None
    received_at: datetime
    sender: str
    open_errors: int
    codes: tuple[str, ...]
    amount_requested: float | None
    draft_sent: bool


@dataclass(frozen=True)
class Queue:
    rows: tuple[QueueRow, ...]  # the chosen page's rows
    total: int  # cases matching the filters, on every page
    by_status: tuple[tuple[str, int], ...]  # how many of those have each status
    page: int
    pages: int
    next_meeting: Meeting | None
    settings: tuple[str, ...]
    meetings: tuple[str, ...]
    codes: tuple[str, ...]


def next_meeting(config: Config, today: date) -> Meeting | None:
    return next((m for m in meetings(config.meetings) if m.day >= today), None)


def build_queue(config: Config, desk: DeskStore, chosen: QueueFilter, today: date) -> Queue:
    """One page of the cases the filters choose, newest first: SQLite filters, counts, orders
    and pages them; only the page's rows are read in full."""
    upcoming = next_meeting(config, today)
    where, arguments = _conditions(chosen, upcoming)
    if chosen.need is Need.drafts:
        where.append("q.id NOT IN (SELECT value FROM json_each(?))")
        arguments.append(json.dumps(sorted(_sent(desk))))
    query = f"SELECT * FROM ({registry.LATEST}) q" + (
        " WHERE " + " AND ".join(where) if where else ""
    )
    size = config.desk.queue_page_size
    with registry.reading(config.paths.register_db) as db:
        # The chosen cases are found once (into this connection's own table, in memory),
        # then counted and paged from there.
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute(f"CREATE TEMP TABLE chosen AS {query}", arguments)
        by_status = _by_status(db)
        total = sum(count for _, count in by_status)
        pages = max(1, -(-total // size))
        page = min(chosen.page, pages)
        found = db.execute(
            "SELECT * FROM temp.chosen ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?",
            (size, (page - 1) * size),
        ).fetchall()
        details = _details(db, [str(row[0]) for row in found])
        choices = (
            tuple(registry.distinct(db, "setting")),
            tuple(registry.distinct(db, "meeting")),
            tuple(registry.finding_codes(db)),
        )
    sent = _sent(desk, [str(row[0]) for row in found])
    return Queue(
        rows=tuple(_row(r, details[r[0]], sent) for r in found),
        total=total,
        by_status=by_status,
        page=page,
        pages=pages,
        next_meeting=upcoming,
        settings=choices[0],
        meetings=choices[1],
        codes=choices[2],
    )


def _by_status(db: sqlite3.Connection) -> tuple[tuple[str, int], ...]:
    counted = dict(db.execute("SELECT status, COUNT(*) FROM temp.chosen GROUP BY status"))
    known = [(status, int(counted.pop(status))) for status in STATUSES if status in counted]
    return (*known, *sorted((str(s), int(n)) for s, n in counted.items()))


def _details(db: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    kinds = json.dumps({request.value: form.kind.value for request, form in MAIN_FORMS.items()})
    rows = db.execute(registry.DETAILS, (kinds, json.dumps(ids)))
    return {str(row[0]): tuple(row[1:]) for row in rows}


def _sent(desk: DeskStore, among: list[str] | None = None) -> set[str]:
    """The submissions whose reply the admin has marked sent (of ``among``, if given)."""
    query = "SELECT submission_id FROM drafts WHERE sent_at IS NOT NULL"
    if among is None:
        return {str(s) for (s,) in desk.rows(query)}
    rows = desk.rows(
        query + " AND submission_id IN (SELECT value FROM json_each(?))", (json.dumps(among),)
    )
    return {str(s) for (s,) in rows}


def _conditions(chosen: QueueFilter, upcoming: Meeting | None) -> tuple[list[str], list[object]]:
    where: list[str] = []
    arguments: list[object] = []
    for column, value in (
        ("status", chosen.status),
        ("meeting", chosen.meeting),
        ("setting", chosen.setting),
    ):
        if value:
            where.append(f"q.{column} = ?")
            arguments.append(value)
    if chosen.finding:
        where.append("EXISTS (SELECT 1 FROM findings f WHERE f.submission = q.id AND f.code = ?)")
        arguments.append(chosen.finding)
    need = chosen.need
    if need in (Need.incomplete, Need.drafts):
        where.append("q.status = 'incomplete'")
    elif need is Need.quarantined:
        where.append("q.status = 'quarantined'")
    elif need in (Need.failures, Need.low_confidence):
        codes = FAILURE_CODES if need is Need.failures else LOW_CONFIDENCE_CODES
        where.append(
            "EXISTS (SELECT 1 FROM findings f WHERE f.submission = q.id AND f.code IN ("
            + ",".join("?" * len(codes))
            + "))"
        )
        arguments.extend(codes)
    elif need is Need.next_meeting:
        where.append("q.meeting = ? AND q.status != 'quarantined'")
        arguments.append(upcoming.day.isoformat() if upcoming else "")
    return where, arguments


def _row(row: tuple[Any, ...], details: tuple[Any, ...], sent: set[str]) -> QueueRow:
    sid, _, ref, kind, status, meeting, setting, initials, received = row
    sender, errors, codes, amount = details
    return QueueRow(
        submission_id=str(sid),
        case_ref=ref,
        request_type=RequestType(kind) if kind else None,
        status=str(status),
        meeting=meeting,
        setting=setting,
        initials=initials,
        received_at=datetime.fromisoformat(str(received)),
        sender=str(sender),
        open_errors=int(errors),
        codes=tuple(str(codes).split(",")) if codes else (),
        amount_requested=_number(amount),
        draft_sent=str(sid) in sent,
    )


def _number(value: object) -> float | None:
    """The amount as written on the form, if it is a number."""
    if value is None:
        return None
    try:
        return float(str(value))
    except ValueError:
        return None
