"""The library's entry points the CLI calls: process what is waiting, watch, write reports."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from pipeline.atomic import (
    ensure_private_dir,
    write_atomic,
    write_chunks_atomic,
)
from pipeline.config import Config
from pipeline.context import Context
from pipeline.drafts import REPLIES_DIR as REPLIES_DIR
from pipeline.drafts import draft_replies, retry_drafts
from pipeline.errors import ConfigError, PipelineError, disk_error
from pipeline.flow import process, ready_for_mail
from pipeline.flow.attachments import Early
from pipeline.flow.readahead import ReadAhead
from pipeline.intake.store import BlobStore
from pipeline.meetings.impact.inputs import impact_inputs
from pipeline.meetings.tracker_sheets import tracker_sheets
from pipeline.models import Incoming, Status, Submission
from pipeline.poison import MessageFailed, failed
from pipeline.register import Register
from pipeline.reports.html_report import HtmlReport
from pipeline.reports.parts import ReportCache, ReportParts, report_cache
from pipeline.reports.publish import publish_leftovers
from pipeline.reports.tracker import TrackerRows
from pipeline.run_lock import RunLock
from pipeline.sandbox import ParserPool
from pipeline.scratch import remove_orphans
from pipeline.sources.base import Source
from pipeline.sources.factory import open_mailbox
from pipeline.sources.folder import FolderSource
from pipeline.sources.watch import watch
from pipeline.timings import StageClock, StageTimings

log = logging.getLogger(__name__)
REPORT_NAME = "report.html"
TRACKER_NAME = "tracker.xlsx"


@dataclass
class RunSummary:
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    timings: StageTimings | None = None  # of the whole run, reports included

    def add(self, submissions: tuple[Submission, ...] | None) -> None:
        if submissions is None:
            self.skipped += 1
            return
        self.processed += 1
        for submission in submissions:
            status = submission.status.value
            self.statuses[status] = self.statuses.get(status, 0) + 1


@contextmanager
def open_context(
    config: Config, parsers: ParserPool | None = None, lock: RunLock | None = None
) -> Iterator[Context]:
    """The store, the register and a parser pool (``parsers``, to share another context's
    worker), closed again when done; ``lock``, if given, is held while the register is opened
    (and brought up to date), for commands that hold it only while they handle a message."""
    ensure_private_dir(config.paths.outbox)
    remove_orphans()  # copies of documents a killed process left converting
    store = BlobStore(config.paths.store)
    pool = parsers or ParserPool.of(config.intake)
    try:
        with lock or nullcontext():
            register = Register(config.paths.register_db)
        with register:
            yield Context(config=config, store=store, register=register, parsers=pool)
    finally:
        if parsers is None:
            pool.close()


def run_source(source: Source, ctx: Context) -> RunSummary:
    """Process every message the source has waiting, oldest first, after writing the JSON an
    interrupted run left unwritten and retrying the drafts the mailbox refused before; the
    documents of the next few are read meanwhile (``flow/readahead.py``)."""
    summary = RunSummary()
    with ctx.timings.stage("reports"):
        publish_leftovers(ctx)
        retry_drafts(source, ctx)
    with ReadAhead(source.pending(), ctx) as emails:
        for incoming, early in emails:
            try:
                summary.add(handle_safely(incoming, source, ctx, early))
            except MessageFailed:
                summary.failed += 1
    return summary


def handle_safely(
    incoming: Incoming, source: Source, ctx: Context, early: Early | None = None
) -> tuple[Submission, ...] | None:
    """``handle``, where a failure of this one email is counted against it and, after
    ``intake.max_attempts`` of them, quarantines it (``processing_failed``) so the mail
    behind it goes on; raises MessageFailed while it has attempts left."""
    try:
        return handle(incoming, source, ctx, early)
    except PipelineError:
        raise  # the environment (disk, register, mailbox): stop and say so
    except Exception as exc:
        if stop := disk_error(exc):  # a full disk is no fault of this email's
            raise stop from exc
        # Only the exception's type is kept: its text may quote the email.
        reason = incoming.fetch_error or type(exc).__name__
        submission = failed(incoming, reason, ctx)
        if submission is None:
            raise MessageFailed(reason) from None
    source.finished(incoming, quarantined=True)
    return (submission,)


def handle(
    incoming: Incoming, source: Source, ctx: Context, early: Early | None = None
) -> tuple[Submission, ...] | None:
    """Process one message and tell the source; None when it had been processed before.
    ``early``: what the read-ahead did for it (``flow/early.py``).

    The source hears about a message seen before too, so a move that failed after the
    results were on disk is done on the next poll, without processing the message again;
    the same goes for reply drafts lost to a kill between the register's commit and them.
    """
    if incoming.fetch_error is not None:
        raise UnfetchedMessage(incoming.fetch_error)
    submissions = process(incoming, ctx, early)
    if submissions is None:
        sha = hashlib.sha256(incoming.data).hexdigest()
        with ctx.timings.stage("reports"):
            draft_replies(incoming, ctx.register.drafts_owed(sha), source, ctx)
        recorded = ctx.register.message_status(sha)
        source.finished(incoming, quarantined=recorded == Status.quarantined.value)
        return None
    with ctx.timings.stage("reports"):
        draft_replies(incoming, submissions, source, ctx)
    quarantined = any(s.status is Status.quarantined for s in submissions)
    source.finished(incoming, quarantined=quarantined)
    return submissions


class UnfetchedMessage(Exception):
    """The source listed the message but could not hand over its bytes."""


def run_inbox(ctx: Context) -> RunSummary:
    ctx = replace(ctx, timings=StageClock())
    summary = run_source(FolderSource(ctx.config.paths.inbox, ctx.config.intake), ctx)
    ctx.parsers.release()
    _reports_if_needed(summary, ctx)
    summary.timings = ctx.timings.timings()
    return summary


def _reports_if_needed(summary: RunSummary, ctx: Context) -> None:
    if summary.processed or not reports_exist(ctx):
        with ctx.timings.stage("reports"):
            write_reports(ctx)


def poll_mailbox(ctx: Context) -> RunSummary:
    """One poll of the configured mailbox, then the reports."""
    ctx = replace(ctx, timings=StageClock())
    source = open_mailbox(ctx.config, ctx.register)
    if source is None:
        raise ConfigError(
            'mailbox.kind is "none" in the configuration: there is no mailbox to poll'
        )
    try:
        summary = run_source(source, ctx)
    finally:
        source.close()
    ctx.parsers.release()
    _reports_if_needed(summary, ctx)
    summary.timings = ctx.timings.timings()
    return summary


def watch_inbox(ctx: Context, stop: threading.Event, lock: RunLock | None = None) -> None:
    """Process each file as it arrives, holding the register's lock (waiting for it) for each."""
    source = FolderSource(ctx.config.paths.inbox, ctx.config.intake)
    held = lock or RunLock(ctx.config.paths.register_db, "pipeline watch")
    cache: ReportCache = {}
    ready_for_mail(ctx)  # before the first arrival, and again after each
    with held:
        publish_leftovers(ctx)

    def on_arrival(incoming: Incoming) -> None:
        try:
            with held:
                if handle_safely(incoming, source, ctx) is not None:
                    write_reports(ctx, cache)
        finally:
            ready_for_mail(ctx)  # a worker a hostile file ended is ready again for the next

    watch(ctx.config.paths.inbox, ctx.config.intake, on_arrival, stop)


def reprocess(ctx: Context, submission_id: str) -> tuple[Submission, ...]:
    """Process a message again from the store, e.g. a quarantined one after a config change."""
    stored = ctx.register.stored_message(submission_id)
    if stored is None:
        raise PipelineError(f"no processed message has the id {submission_id}")
    sha256, source, ref, received_at = stored
    incoming = Incoming(
        source=source,
        ref=ref,
        filename=Path(ref).name,
        data=ctx.store.read(sha256),
        arrived_at=received_at,
    )
    ctx.register.forget(submission_id)
    submissions = process(incoming, ctx)
    if submissions is None:  # cannot happen: the register has just forgotten it
        raise PipelineError(f"{submission_id} was not processed again")
    write_reports(ctx)
    return submissions


def reports_exist(ctx: Context) -> bool:
    outbox = ctx.config.paths.outbox
    return (outbox / REPORT_NAME).exists() and (outbox / TRACKER_NAME).exists()


def write_outputs(ctx: Context) -> None:
    """Everything the outbox holds, from the register: JSON left unwritten, then reports."""
    publish_leftovers(ctx)
    write_reports(ctx)


def write_reports(ctx: Context, cache: ReportCache | None = None) -> None:
    """report.html and tracker.xlsx from the register, in one pass over its submissions: each
    submission is turned into its part of both and let go, so memory does not grow with it.

    ``cache`` keeps what was made of each record between calls (watch mode writes both
    reports after every email): an unchanged record is neither typed nor rendered again; nor
    is one published since the last call (``ctx.published``, made from the submission).
    """
    now = datetime.now(UTC)
    decisions = {d.case_ref: d for d in ctx.register.decisions()}
    report, tracker = HtmlReport(ctx.config, now, decisions), TrackerRows(decisions)
    earlier = cache if cache is not None else {}
    published = report_cache(ctx)  # made by publishing, from the submissions in hand
    kept: ReportCache = {}
    for record in ctx.register.stored_records():
        parts = (
            earlier.get(record.digest)
            or published.get(record.digest)
            or ReportParts.of(record.submission())
        )
        report.add_part(parts.stub, parts.html)
        tracker.add_part(parts.stub, parts.tracker)
        kept[record.digest] = parts
    published.clear()
    earlier.clear()
    earlier.update(kept)
    count = len(kept)
    outbox = ctx.config.paths.outbox
    write_chunks_atomic(outbox / REPORT_NAME, report.chunks())
    extra = tracker_sheets(ctx, impact_inputs(parts.impact for parts in kept.values()))
    write_atomic(outbox / TRACKER_NAME, tracker.workbook(now, extra))
    log.info("reports written for %d submission(s)", count)
