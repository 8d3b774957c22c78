"""Each submission's JSON and reply draft, written from what the register has committed.

The register marks a submission unpublished in the same transaction that records or changes
it; this writes its files from the committed record and then clears the mark. It runs after
every commit and at the start of every run, so files a crash kept from being written are
written then: a JSON never exists for an email the register does not know.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.atomic import write_atomic
from pipeline.context import Context
from pipeline.models import Submission
from pipeline.register.outputs import needs_reply
from pipeline.reports.reply import build_reply, original_message_id
from pipeline.reports.submission_json import write_submission_json

log = logging.getLogger(__name__)
REPLIES_DIR = "replies"


def publish(ctx: Context) -> int:
    """Write the files of every unpublished submission; returns how many."""
    pending = ctx.register.unpublished()
    for marked in pending:
        submission = ctx.register.submission(marked.submission)
        if submission is not None:
            write_submission_json(ctx.config.paths.outbox, submission)
            if marked.reply and needs_reply(submission):
                write_atomic(reply_path(ctx, marked.submission), _reply(ctx, submission))
    ctx.register.mark_published(pending)
    return len(pending)


def publish_leftovers(ctx: Context) -> None:
    """Before a run: write the files an interrupted run committed but did not write."""
    written = publish(ctx)
    if written:
        log.info("wrote the files of %d submission(s) an interrupted run left unwritten", written)


def reply_path(ctx: Context, submission_id: str) -> Path:
    return ctx.config.paths.outbox / REPLIES_DIR / f"{submission_id}.eml"


def _reply(ctx: Context, submission: Submission) -> bytes:
    """The draft answers the email it came in (In-Reply-To its Message-ID, as sent)."""
    raw = ctx.register.raw_email_of(submission.submission_id)
    original = original_message_id(ctx.store.read(raw)) if raw else None
    return build_reply(submission, ctx.config, original)
