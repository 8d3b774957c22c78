"""Reply drafts, each made once and saved to the mailbox once, whatever stops the run.

A draft's journey is recorded in the register (``drafts``): written to outbox/replies/, handed
to the mailbox, saved there. The .eml is written first and reused on every retry, so the draft
keeps its Message-ID; a draft handed over when the run stopped is looked for in the mailbox
before it is handed over again. A message seen before gets the drafts it is missing (the run
was killed between the register's commit and the draft), and every poll retries the drafts
the mailbox refused.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

from pipeline.atomic import write_atomic
from pipeline.context import Context
from pipeline.errors import PipelineError
from pipeline.intake.message_id import original_message_id
from pipeline.models import Incoming, Status, Submission
from pipeline.register.mailstate import DraftState
from pipeline.reports.reply import build_reply
from pipeline.sources.base import Source

log = logging.getLogger(__name__)
REPLIES_DIR = "replies"


def draft_replies(
    incoming: Incoming, submissions: Sequence[Submission], source: Source, ctx: Context
) -> None:
    """A reply draft for each incomplete submission: in outbox/replies/, and in the mailbox."""
    sha = _sha(incoming)
    for submission in submissions:
        if submission.status is not Status.incomplete or not submission.sender:
            continue
        state = ctx.register.draft_state(submission.submission_id)
        if state in (DraftState.saved, DraftState.outbox):
            continue
        path = draft_path(ctx, submission.submission_id)
        if state is None:
            # A draft written before its journey was recorded may be in the mailbox already.
            state = DraftState.saving if path.exists() else DraftState.written
            ctx.register.set_draft_state(submission.submission_id, sha, source.name, state)
        if not path.exists():
            draft = build_reply(submission, ctx.config, original_message_id(incoming.data))
            write_atomic(path, draft)
        offer(submission.submission_id, sha, state, source, ctx)


def retry_drafts(source: Source, ctx: Context) -> None:
    """Hand the mailbox again every draft it refused, or whose saving was cut short."""
    for submission_id, sha, state in ctx.register.drafts_not_saved(source.name):
        if draft_path(ctx, submission_id).exists():
            offer(submission_id, sha, state, source, ctx)


def offer(submission_id: str, sha: str, state: DraftState, source: Source, ctx: Context) -> None:
    """Save the draft in the mailbox unless it is there already; a refusal waits for next time."""
    register = ctx.register
    if not source.keeps_drafts:
        register.set_draft_state(submission_id, sha, source.name, DraftState.outbox)
        return
    draft = draft_path(ctx, submission_id).read_bytes()
    try:
        if state is DraftState.saving and source.has_draft(draft):
            register.set_draft_state(submission_id, sha, source.name, DraftState.saved)
            return
        register.set_draft_state(submission_id, sha, source.name, DraftState.saving)
        source.save_draft(draft)
    except Exception as exc:
        reason = str(exc) if isinstance(exc, PipelineError) else type(exc).__name__
        log.warning(
            "reply draft %s is in the outbox only for now (tried again next poll): %s",
            submission_id,
            reason,
        )
        return
    register.set_draft_state(submission_id, sha, source.name, DraftState.saved)


def draft_path(ctx: Context, submission_id: str) -> Path:
    return ctx.config.paths.outbox / REPLIES_DIR / f"{submission_id}.eml"


def _sha(incoming: Incoming) -> str:
    return hashlib.sha256(incoming.data).hexdigest()
