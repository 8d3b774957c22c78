"""Each submission's JSON, written from what the register has committed.

The register marks a submission unpublished in the same transaction that records or changes
it; this writes its JSON from the committed record and then clears the mark. It runs after
every commit and at the start of every run, so a JSON a crash kept from being written is
written then, and none ever exists for an email the register does not know. (Reply drafts
keep their own journey in the register: pipeline/drafts.py.)
"""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.atomic import fsync_dir
from pipeline.context import Context
from pipeline.models import Submission
from pipeline.reports.parts import ReportParts, report_cache
from pipeline.reports.submission_json import write_submission_json

log = logging.getLogger(__name__)
HANDED_AT_MOST = 5000  # parts kept for the reports (a few KB each): a large backlog's worth


def publish(ctx: Context) -> int:
    """Write the JSON of every unpublished submission; returns how many.

    Each file is fsynced as it is written; their folder once, after the last, before any
    mark is cleared: every JSON is durable by then, with one folder fsync for all of them."""
    pending = ctx.register.unpublished()
    folders: set[Path] = set()
    for marked in pending:
        stored = ctx.register.stored_record(marked.submission)
        if stored is None:
            continue
        submission = ctx.register.typed(marked.submission, stored)
        path = write_submission_json(ctx.config.paths.outbox, submission, sync_folder=False)
        folders.add(path.parent)
        _hand_to_reports(ctx, stored.digest, submission)
    for folder in folders:
        fsync_dir(folder)
    ctx.register.mark_published(pending)
    return len(pending)


def _hand_to_reports(ctx: Context, digest: bytes, submission: Submission) -> None:
    """The submission's part of the reports, for their next writing (which lets go of it)."""
    published = report_cache(ctx)
    if len(published) >= HANDED_AT_MOST:  # no reports written for a long while
        published.clear()
    published[digest] = ReportParts.of(submission)


def publish_leftovers(ctx: Context) -> None:
    """Before a run: write the JSON an interrupted run committed but did not write."""
    written = publish(ctx)
    if written:
        log.info("wrote the JSON of %d submission(s) an interrupted run left unwritten", written)
