"""The register read once, before the rules run: the snapshots they are handed."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.cases.assess import current_request
from pipeline.cases.history import CaseHistory, EmailHistory
from pipeline.cases.versions import Arrival
from pipeline.context import Context
from pipeline.models import Message, RequestType
from pipeline.rules.capital import earlier_bids


def case_history(
    ctx: Context, case_ref: str, arriving: Sequence[Arrival] = (), *, excluding: str = ""
) -> CaseHistory:
    """The case's earlier submissions (not ``excluding``), the admin's changes to it, and for a
    capital bid the round's bids already in the register."""
    earlier = tuple(ctx.register.case_submissions(case_ref, excluding=excluding))
    capital = current_request(earlier, arriving) is RequestType.capital
    bids = ctx.register.submissions(RequestType.capital) if capital else ()
    return CaseHistory(
        case_ref=case_ref,
        earlier=earlier,
        capital_bids=earlier_bids(bids, ctx.config.capital),
        accepted=ctx.register.accepted_findings(case_ref),
        moved_meeting=ctx.register.moved_meeting(case_ref),
    )


def email_history(ctx: Context, message: Message) -> EmailHistory:
    """For each attachment already received in another email, that email."""
    copies = {
        attachment.sha256: earlier
        for attachment in message.attachments
        if (earlier := ctx.register.earlier_message_with_document(attachment.sha256, message.id))
    }
    return EmailHistory(earlier_copies=copies)
