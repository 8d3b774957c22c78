"""What may be done for an email before its turn, while the emails before it are processed.

Storing it (the first thing that happens to any email) and handing its attachments to the
parsing workers: nothing that records, moves or decides anything. Its attachments are handed
over early only when every check that could refuse to open them gives the same answer now as
in its turn, whatever the emails before it record: it is not over-size and its sender is
accepted (both depend on the email and the configuration alone), it quotes no case reference
(whose trust depends on the case as the register will hold it), and neither the register nor
an email still ahead of it makes it a copy seen before or a second delivery. Anything else is
left to its turn, where every check is made again (``journey.process``). (``Early``, what
was done, is in ``attachments.py``, beside the readings it carries.)
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from pipeline.cases.split import quoted_case_refs
from pipeline.context import Context
from pipeline.flow.attachments import Early, start_reading
from pipeline.flow.journey import stored
from pipeline.models import Incoming, Message
from pipeline.rules import check_sender

log = logging.getLogger(__name__)


def prepare(incoming: Incoming, ctx: Context, ahead_of_it: Sequence[Message]) -> Early | None:
    """The email stored, and its attachments handed to the workers when that is safe;
    ``ahead_of_it`` are the emails before it not recorded yet. None when it is left wholly to
    its turn: seen before, not fetched, or failing here (its turn meets the failure again,
    where it is counted against this email)."""
    if incoming.fetch_error is not None:
        return None
    try:
        with ctx.timings.stage("store"):
            if ctx.register.seen_message(hashlib.sha256(incoming.data).hexdigest()):
                return None
            message = stored(incoming, ctx)
            if not may_read_early(message, ctx, ahead_of_it):
                return Early(message)
            return Early(message, tuple(start_reading(message, ctx)))
    except Exception as exc:
        log.info("read-ahead left an email to its turn (%s)", type(exc).__name__)
        return None


def may_read_early(message: Message, ctx: Context, ahead_of_it: Sequence[Message]) -> bool:
    """Whether its turn is sure to open its attachments, whatever the emails ahead record."""
    return (
        not message.oversize
        and not check_sender(message, ctx.config)
        and not quoted_case_refs(message, ctx.config.cluster.case_prefix)
        and not any(_same_email(message, earlier) for earlier in ahead_of_it)
        and ctx.register.delivered_before(message) is None
    )


def _same_email(message: Message, earlier: Message) -> bool:
    """The same bytes, or what the register would take for a second delivery of ``earlier``."""
    if message.sha256 == earlier.sha256:
        return True
    sender, before = message.sender, earlier.sender
    return (
        sender is not None
        and before is not None
        and sender.lower() == before.lower()
        and bool(message.attachments)
        and {a.sha256 for a in message.attachments} == {a.sha256 for a in earlier.attachments}
    )
