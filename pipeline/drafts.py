"""Reply drafts, each made once and saved to the mailbox once, whatever stops the run.

A draft's journey is recorded in the register (``drafts``): written to outbox/replies/, handed
to the mailbox, saved there. The .eml is written first and reused on every retry, so the draft
keeps its Message-ID; a draft handed over when the run stopped is looked for in the mailbox
before it is handed over again. A message seen before gets the drafts it is missing (the run
was killed between the register's commit and the draft), and every poll retries the drafts
the mailbox refused. A draft a later email of the case made out of date is marked superseded
in the register, after its file is moved aside and the mailbox asked to drop it, so it is
never made or retried again, even when its own email is seen again after the later one.
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
SUPERSEDED_DIR = "superseded"  # inside replies/: drafts a later email made out of date


def draft_replies(
    incoming: Incoming, submissions: Sequence[Submission], source: Source, ctx: Context
) -> None:
    """A reply draft for each incomplete submission: in outbox/replies/, and in the mailbox.

    A case has one current draft: the drafts answering its earlier emails are withdrawn first
    (moved to outbox/replies/superseded/ and taken out of the mailbox's Drafts), so the admin
    cannot send the one that asks for what the school has since sent.
    """
    sha = _sha(incoming)
    for submission in submissions:
        withdraw_superseded_drafts(submission, source, ctx)
        if submission.status is not Status.incomplete or not submission.sender:
            continue
        state = ctx.register.draft_state(submission.submission_id)
        if state in (DraftState.saved, DraftState.outbox, DraftState.superseded):
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


def withdraw_superseded_drafts(submission: Submission, source: Source, ctx: Context) -> None:
    """Move aside the reply drafts to the case's submissions received before this one."""
    if submission.case_ref is None:
        return
    for earlier, sha in ctx.register.drafts_superseded_by(submission.submission_id):
        moved = _move_aside(draft_path(ctx, earlier))
        if moved is not None:
            _withdraw_from_mailbox(earlier, moved.read_bytes(), source)
        ctx.register.set_draft_state(earlier, sha, source.name, DraftState.superseded)
        log.info("reply draft %s superseded", earlier)


def _move_aside(path: Path) -> Path | None:
    """The draft's copy under replies/superseded/ (moved there now or by an interrupted run)."""
    aside = path.parent / SUPERSEDED_DIR / path.name
    if path.exists():
        write_atomic(aside, path.read_bytes())
        path.unlink()
    return aside if aside.exists() else None


def _withdraw_from_mailbox(submission_id: str, draft: bytes, source: Source) -> None:
    message_id = original_message_id(draft)
    try:
        if message_id:
            source.withdraw_draft(message_id)
    except Exception as exc:
        reason = str(exc) if isinstance(exc, PipelineError) else type(exc).__name__
        log.warning(
            "superseded draft %s is still in the mailbox's Drafts: %s", submission_id, reason
        )


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
