"""The queue: what needs the admin now, one row per case, newest first, with filters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pipeline.config import Config
from pipeline.desk import registry
from pipeline.desk.store import DeskStore
from pipeline.models import Meeting, RequestType
from pipeline.rules.cutoff import meetings
from schemas import main_form_kind

PAGE_SIZE = 100
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

    @classmethod
    def of(cls, query: dict[str, str]) -> QueueFilter:
        need = query.get("need", "all")
        return cls(
            need=Need(need) if need in Need.__members__ else Need.all,
            status=query.get("status", ""),
            meeting=query.get("meeting", ""),
            setting=query.get("setting", ""),
            finding=query.get("finding", ""),
        )


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
    rows: tuple[QueueRow, ...]
    total: int
    next_meeting: Meeting | None
    settings: tuple[str, ...]
    meetings: tuple[str, ...]
    codes: tuple[str, ...]


def next_meeting(config: Config, today: date) -> Meeting | None:
    return next((m for m in meetings(config.meetings) if m.day >= today), None)


def build_queue(config: Config, desk: DeskStore, chosen: QueueFilter, today: date) -> Queue:
    upcoming = next_meeting(config, today)
    sent = {
        str(s) for (s,) in desk.rows("SELECT submission_id FROM drafts WHERE sent_at IS NOT NULL")
    }
    where, arguments = _conditions(chosen, upcoming)
    if chosen.need is Need.drafts:
        where.append("NOT EXISTS (SELECT 1 FROM json_each(?) WHERE json_each.value = q.id)")
        arguments.append(json.dumps(sorted(sent)))
    query = f"SELECT * FROM ({registry.LATEST}) q" + (
        " WHERE " + " AND ".join(where) if where else ""
    )
    with registry.reading(config.paths.register_db) as db:
        total = int(db.execute(f"SELECT COUNT(*) FROM ({query})", arguments).fetchone()[0])
        found = db.execute(
            query + " ORDER BY q.received_at DESC, q.id DESC LIMIT ?", (*arguments, PAGE_SIZE)
        ).fetchall()
        ids = json.dumps([row[0] for row in found])
        details = {row[0]: row[1:] for row in db.execute(registry.DETAILS, (ids,))}
        choices = (
            tuple(registry.distinct(db, "setting")),
            tuple(registry.distinct(db, "meeting")),
            tuple(registry.finding_codes(db)),
        )
    return Queue(
        rows=tuple(_row(r, details[r[0]], sent) for r in found),
        total=total,
        next_meeting=upcoming,
        settings=choices[0],
        meetings=choices[1],
        codes=choices[2],
    )


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
    sender, record, errors, codes = details
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
        amount_requested=amount_requested(kind, str(record)),
        draft_sent=str(sid) in sent,
    )


def amount_requested(request_type: str | None, record: str) -> float | None:
    """The amount on the case's main form, read from the stored record without typing it all
    (the queue shows a hundred rows at a time)."""
    if request_type is None:
        return None
    kind = main_form_kind(RequestType(request_type))
    for document in json.loads(record).get("documents", ()):
        if document.get("kind") == kind:
            value = (document.get("form") or {}).get("amount_requested")
            return float(value) if isinstance(value, int | float | str) and _number(value) else None
    return None


def _number(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True
