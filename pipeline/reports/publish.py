"""Each submission's JSON, written from what the register has committed.

The register marks a submission unpublished in the same transaction that records or changes
it; this writes its JSON from the committed record and then clears the mark. It runs after
every commit and at the start of every run, so a JSON a crash kept from being written is
written then, and none ever exists for an email the register does not know. (Reply drafts
keep their own journey in the register: pipeline/drafts.py.)
"""

from __future__ import annotations

import logging

from pipeline.context import Context
from pipeline.reports.submission_json import write_submission_json

log = logging.getLogger(__name__)


def publish(ctx: Context) -> int:
    """Write the JSON of every unpublished submission; returns how many."""
    pending = ctx.register.unpublished()
    for marked in pending:
        submission = ctx.register.submission(marked.submission)
        if submission is not None:
            write_submission_json(ctx.config.paths.outbox, submission)
    ctx.register.mark_published(pending)
    return len(pending)


def publish_leftovers(ctx: Context) -> None:
    """Before a run: write the JSON an interrupted run committed but did not write."""
    written = publish(ctx)
    if written:
        log.info("wrote the JSON of %d submission(s) an interrupted run left unwritten", written)
