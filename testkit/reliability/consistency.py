"""After a crash: is everything there once, intact and whole?

Read-only checks of the register, the outbox and the store against the emails in the inbox:
every email processed exactly once, every submission's JSON present and parseable (or marked
in the register as still to be written, which the next run does), the reports whole, the
register passing SQLite's integrity check, and every raw email and attachment in the store.
Leftover temporary files of interrupted atomic writes are listed (they are harmless: never
read, and the next write of the same file replaces the real one).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import openpyxl

from pipeline.config import Config
from pipeline.intake.store import BlobStore
from pipeline.runner import REPORT_NAME, TRACKER_NAME

Outcome = tuple[str | None, str, tuple[str, ...]]


@dataclass(frozen=True)
class Consistency:
    emails: int  # files waiting in the inbox
    processed: int  # rows in the register's messages table
    lost: int  # emails, outputs or stored blobs that should exist and do not
    duplicated: int  # an email recorded twice, a JSON or case no submission owns
    half_written: int  # outputs that do not parse
    unwritten: int  # JSON the register marks as still to be written (the next run writes it)
    integrity: str  # PRAGMA integrity_check
    leftover_temp: tuple[str, ...]  # temporary files of interrupted writes, relative paths
    notes: tuple[str, ...]  # one line per problem

    @property
    def ok(self) -> bool:
        problems = self.lost or self.duplicated or self.half_written or self.unwritten
        return not problems and self.integrity == "ok"


def check_consistency(config: Config) -> Consistency:
    notes: list[str] = []
    inbox = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in _files(config)}
    store = BlobStore(config.paths.store)
    with _read_only(config.paths.register_db) as db:
        integrity = str(db.execute("PRAGMA integrity_check").fetchone()[0])
        messages = [str(r[0]) for r in db.execute("SELECT sha256 FROM messages")]
        submissions = {str(r[0]) for r in db.execute("SELECT id FROM submissions")}
        marked = _marked_unpublished(db)
        documents = {str(r[0]) for r in db.execute("SELECT DISTINCT sha256 FROM documents")}
        orphan_cases = int(
            db.execute(
                "SELECT COUNT(*) FROM cases WHERE case_ref NOT IN "
                "(SELECT case_ref FROM submissions WHERE case_ref IS NOT NULL)"
            ).fetchone()[0]
        )
    for name, sha in sorted(inbox.items()):
        if sha not in messages:
            notes.append(f"email {name} was never recorded")
        if not store.has(sha):
            notes.append(f"email {name} is missing from the store")
    notes += [
        f"document {sha[:12]} is missing from the store" for sha in documents if not store.has(sha)
    ]
    repeated = len(messages) - len(set(messages))
    json_ids, broken = _submission_files(config.paths.outbox / "submissions")
    unwritten = (submissions - json_ids) & marked
    missing_json = submissions - json_ids - marked
    stray_json = json_ids - submissions
    notes += [f"submission {s} has no JSON" for s in sorted(missing_json)]
    notes += [f"JSON of {s} still to be written (register's mark)" for s in sorted(unwritten)]
    notes += [f"JSON {s} belongs to no submission" for s in sorted(stray_json)]
    notes += [f"output {name} does not parse" for name in broken]
    notes += [f"{orphan_cases} case(s) with no submission"] if orphan_cases else []
    broken += _broken_reports(config.paths.outbox)
    return Consistency(
        emails=len(inbox),
        processed=len(messages),
        lost=sum(n.startswith(("email", "document", "submission")) for n in notes),
        duplicated=repeated + len(stray_json) + orphan_cases,
        half_written=len(broken),
        unwritten=len(unwritten),
        integrity=integrity,
        leftover_temp=_temporaries(config),
        notes=tuple(notes),
    )


def outcomes(config: Config) -> dict[str, Outcome]:
    """Each submission's case, status and finding codes: what a re-run must reproduce."""
    with _read_only(config.paths.register_db) as db:
        codes: dict[str, list[str]] = {}
        for submission, code in db.execute("SELECT submission, code FROM findings"):
            codes.setdefault(str(submission), []).append(str(code))
        return {
            str(id_): (case_ref, str(status), tuple(sorted(codes.get(str(id_), []))))
            for id_, case_ref, status in db.execute("SELECT id, case_ref, status FROM submissions")
        }


def processed(config: Config) -> int:
    """How many emails the register has recorded (0 before it exists; -1 while a killed
    run's journal waits for the next run to roll it back)."""
    if not config.paths.register_db.exists():
        return 0
    try:
        with _read_only(config.paths.register_db) as db:
            return int(db.execute("SELECT COUNT(*) FROM messages").fetchone()[0])
    except sqlite3.Error:
        return -1


def _files(config: Config) -> list[Path]:
    return sorted(p for p in config.paths.inbox.iterdir() if p.is_file())


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield db
    finally:
        db.close()


def _marked_unpublished(db: sqlite3.Connection) -> set[str]:
    """Submissions whose JSON the register says is still to be written (none in a register
    a full disk stopped before its migrations were all applied)."""
    try:
        return {str(r[0]) for r in db.execute("SELECT submission FROM unpublished")}
    except sqlite3.OperationalError:  # no such table
        return set()


def _submission_files(folder: Path) -> tuple[set[str], list[str]]:
    """The submission ids of the JSON files that parse, and the names of those that do not."""
    ids: set[str] = set()
    broken: list[str] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            broken.append(path.name)
            continue
        if record.get("submission_id") == path.stem:
            ids.add(path.stem)
        else:
            broken.append(path.name)
    return ids, broken


def _broken_reports(outbox: Path) -> list[str]:
    broken = []
    report = outbox / REPORT_NAME
    try:
        page = _Page()
        page.feed(report.read_text(encoding="utf-8"))
        page.close()
        if not page.closed_html:
            broken.append(REPORT_NAME)
    except (OSError, UnicodeDecodeError):
        broken.append(REPORT_NAME)
    try:
        openpyxl.load_workbook(outbox / TRACKER_NAME, read_only=True).close()
    except Exception:  # any failure to open is a half-written workbook
        broken.append(TRACKER_NAME)
    return broken


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.closed_html = False

    def handle_endtag(self, tag: str) -> None:
        self.closed_html |= tag == "html"


def _temporaries(config: Config) -> tuple[str, ...]:
    root = config.paths.outbox.parent
    found = [
        p
        for folder in (config.paths.outbox, config.paths.store, config.paths.register_db.parent)
        if folder.is_dir()
        for p in folder.rglob(".*.tmp")
    ]
    return tuple(sorted({os.path.relpath(p, root) for p in found}))
