"""One transaction per email: the register and the outbox never disagree about an email.

A commit that fails leaves neither register rows nor a JSON for the email, and the next run
processes it fully; a crash after the commit, before the files are written, is repaired by the
next run (or `pipeline report`) from what the register committed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.admin import move_case
from pipeline.config import Config
from pipeline.intake.mail import message_id_of
from pipeline.register.base import Transaction
from pipeline.runner import RunSummary, open_context, run_inbox, write_outputs
from testkit.samples import sample
from testkit.samples.email_message import render_email
from testkit.samples.follow_up import follow_up

GOLDEN = Path(__file__).resolve().parent / "golden" / "emails"
INCOMPLETE = GOLDEN / "014-missing_document.eml"  # a referral without its provision map


def run(config: Config) -> RunSummary:
    with open_context(config) as ctx:
        return run_inbox(ctx)


def submissions(config: Config) -> dict[str, dict[str, Any]]:
    folder = config.paths.outbox / "submissions"
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return {p.stem: json.loads(p.read_text("utf-8")) for p in paths}


def replies(config: Config) -> list[str]:
    folder = config.paths.outbox / "replies"
    return sorted(p.name for p in folder.glob("*.eml")) if folder.is_dir() else []


def rows_for(config: Config, raw: bytes) -> dict[str, int]:
    """The register's rows that came from one email, by table."""
    sha = hashlib.sha256(raw).hexdigest()
    email = message_id_of(sha)
    queries = {
        "messages": ("SELECT COUNT(*) FROM messages WHERE sha256 = ?", sha),
        "documents": ("SELECT COUNT(*) FROM documents WHERE message = ?", email),
        "submissions": ("SELECT COUNT(*) FROM submissions WHERE message = ?", email),
        "findings": ("SELECT COUNT(*) FROM findings WHERE submission LIKE ?", email + "%"),
        "cases": ("SELECT COUNT(*) FROM cases WHERE first_submission LIKE ?", email + "%"),
    }
    db = sqlite3.connect(f"{config.paths.register_db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {t: int(db.execute(q, (arg,)).fetchone()[0]) for t, (q, arg) in queries.items()}
    finally:
        db.close()


@contextmanager
def failing_commit(raw: bytes) -> Iterator[None]:
    """The commit of the transaction that records this email fails (another writer held the
    register past the busy timeout). A full disk failing it stops the run instead: that is
    test_disk_full's."""
    sha = hashlib.sha256(raw).hexdigest()
    real = Transaction.__exit__

    def commit_fails(self: Transaction, kind: type[BaseException] | None, *rest: object) -> None:
        db: sqlite3.Connection = self._db
        recorded = db.execute("SELECT 1 FROM messages WHERE sha256 = ?", (sha,)).fetchone()
        if self._outer and kind is None and recorded:
            db.execute("ROLLBACK")
            raise sqlite3.OperationalError("database is locked")
        real(self, kind, *rest)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Transaction, "__exit__", commit_fails)
        yield


@contextmanager
def crash_before_files() -> Iterator[None]:
    """The process stops after the commit, before any JSON or reply draft is written."""

    def crash(*_: object) -> None:
        raise RuntimeError("killed")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("pipeline.reports.publish.write_submission_json", crash)
        yield


@pytest.fixture
def uninterrupted(shipped_config: Config, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """What one run without faults makes of the email."""
    config = shipped_config.under(tmp_path / "reference")
    config.paths.inbox.mkdir(parents=True)
    (config.paths.inbox / INCOMPLETE.name).write_bytes(INCOMPLETE.read_bytes())
    run(config)
    return submissions(config)


@pytest.fixture
def inbox(config: Config) -> bytes:
    raw = INCOMPLETE.read_bytes()
    (config.paths.inbox / INCOMPLETE.name).write_bytes(raw)
    return raw


def test_a_failed_commit_leaves_no_json_and_no_register_rows_for_the_email(
    config: Config, inbox: bytes
) -> None:
    with failing_commit(inbox):
        summary = run(config)
    assert summary.failed == 1
    assert submissions(config) == {} and replies(config) == []
    assert set(rows_for(config, inbox).values()) == {0}


def test_after_a_failed_commit_the_next_run_processes_the_email_fully(
    config: Config, inbox: bytes, uninterrupted: dict[str, dict[str, Any]]
) -> None:
    with failing_commit(inbox):
        run(config)
    summary = run(config)
    assert (summary.processed, summary.failed) == (1, 0)
    assert submissions(config) == uninterrupted
    assert replies(config) == [f"{next(iter(uninterrupted))}.eml"]
    assert rows_for(config, inbox)["submissions"] == 1


def test_a_crash_after_the_commit_leaves_the_email_recorded_without_its_files(
    config: Config, inbox: bytes
) -> None:
    with crash_before_files():
        run(config)
    assert rows_for(config, inbox)["submissions"] == 1
    assert submissions(config) == {} and replies(config) == []


def test_the_next_run_writes_the_files_a_crash_after_the_commit_left_out(
    config: Config, inbox: bytes, uninterrupted: dict[str, dict[str, Any]]
) -> None:
    with crash_before_files():
        run(config)
    summary = run(config)
    assert (summary.processed, summary.skipped) == (0, 1)
    assert submissions(config) == uninterrupted
    assert replies(config) == [f"{next(iter(uninterrupted))}.eml"]


def test_pipeline_report_writes_the_files_a_crash_after_the_commit_left_out(
    config: Config, inbox: bytes, uninterrupted: dict[str, dict[str, Any]]
) -> None:
    with crash_before_files():
        run(config)
    with open_context(config) as ctx:
        write_outputs(ctx)
    assert submissions(config) == uninterrupted


def test_an_earlier_submission_changed_by_a_commit_gets_its_json_rewritten_after_a_crash(
    config: Config,
) -> None:
    referral = sample(1, "missing_document", config, seed=21)
    (config.paths.inbox / "001-referral.eml").write_bytes(render_email(referral))
    run(config)
    ((first, record),) = submissions(config).items()
    assert record["status"] == "incomplete"
    email = follow_up(referral, case_ref=record["case_ref"])
    (config.paths.inbox / "002-follow-up.eml").write_bytes(email)
    with crash_before_files():
        run(config)
    assert submissions(config)[first]["status"] == "incomplete"  # stale: written before
    run(config)
    after = submissions(config)
    assert len(after) == 2 and {r["status"] for r in after.values()} == {"complete"}


def test_a_move_whose_validation_fails_leaves_the_case_where_it_was(
    config: Config, inbox: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(config)
    ((_, before),) = submissions(config).items()

    def broken(*_: object) -> None:
        raise RuntimeError("validation failed")

    monkeypatch.setattr("pipeline.flow.journey.assess_case", broken)
    with open_context(config) as ctx, pytest.raises(RuntimeError):
        move_case(
            ctx, before["case_ref"], date(2026, 2, 5), by="Cluster admin", today=date(2025, 11, 1)
        )
    with open_context(config) as ctx:
        assert ctx.register.moved_meeting(before["case_ref"]) is None
    assert list(submissions(config).values()) == [before]


def test_the_register_is_fully_synced_again_once_the_json_marks_are_cleared(
    config: Config, inbox: bytes
) -> None:
    """Clearing the marks of written JSON is the one commit not waited for on disk; every
    commit after it (the next email's) is synced as before."""
    with open_context(config) as ctx:
        run_inbox(ctx)
        synchronous = ctx.register._db.execute("PRAGMA synchronous").fetchone()[0]
    assert synchronous == 2  # FULL


def test_a_cleared_mark_a_power_cut_brings_back_gets_the_same_json_written_again(
    config: Config, inbox: bytes
) -> None:
    run(config)
    written = {p.name: p.read_bytes() for p in (config.paths.outbox / "submissions").iterdir()}
    with sqlite3.connect(config.paths.register_db) as db:  # the clearing commit undone
        db.executemany(
            "INSERT INTO unpublished (submission) VALUES (?)",
            [(name.removesuffix(".json"),) for name in written],
        )
    with open_context(config) as ctx:
        write_outputs(ctx)
        assert ctx.register.unpublished() == []
    again = {p.name: p.read_bytes() for p in (config.paths.outbox / "submissions").iterdir()}
    assert again == written


def test_each_json_is_durable_before_its_mark_is_cleared_with_one_folder_fsync(
    config: Config, inbox: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written together (here, after a crash left three unwritten), each JSON is fsynced and
    renamed into place, then the folder fsynced once, and only then are the marks cleared."""
    for name in ("001-clean.eml", "040-project_referral-clean.eml"):
        (config.paths.inbox / name).write_bytes((GOLDEN / name).read_bytes())
    with crash_before_files():
        run(config)
    folder = config.paths.outbox / "submissions"
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", str(Path(f"/proc/self/fd/{fd}").readlink())))
        real_fsync(fd)

    def replace(source: Any, target: Any) -> None:
        real_replace(source, target)
        events.append(("rename", str(target)))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    with open_context(config) as ctx:
        clear = ctx.register.mark_published
        monkeypatch.setattr(
            ctx.register, "mark_published", lambda w: (events.append(("cleared", "")), clear(w))
        )
        write_outputs(ctx)
    renamed = [e for e in events if e[0] == "rename" and Path(e[1]).parent == folder]
    assert len(renamed) == 3
    folder_synced = [i for i, e in enumerate(events) if e == ("fsync", str(folder))]
    cleared = events.index(("cleared", ""))
    assert len(folder_synced) == 1
    assert max(events.index(r) for r in renamed) < folder_synced[0] < cleared
    for _, path in renamed:  # each file's own bytes fsynced before it was renamed into place
        synced_before = [e for e in events[: events.index(("rename", path))] if e[0] == "fsync"]
        assert any(Path(p).name.startswith(f".{Path(path).name}.") for _, p in synced_before)
