"""Which case a request joins: the one quoted, else the same pupil or project this year, else
a new one (its reference allocated in the email's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pipeline.cases.assess import first_hearing, london_date
from pipeline.cases.split import document_identity, quoted_case_refs
from pipeline.cases.versions import Arrival
from pipeline.context import Context
from pipeline.flow.review_join import is_review, review_refs
from pipeline.models import ExtractedDocument, Finding, Message
from pipeline.rules import finding, request_type_of
from pipeline.rules.senders import may_quote_case
from schemas.about import setting_of
from schemas.codes import RuleCode


def join_case(
    submission_id: str,
    documents: Sequence[ExtractedDocument],
    message: Message,
    ctx: Context,
    *,
    quote: bool,
) -> str | None:
    """The case quoted in the email, else the same pupil or project this year, else a new one.

    A funding review never opens a case: None when it matches none."""
    if is_review(documents):
        return review_case(documents, message, ctx)
    if quote and (quoted := quoted_case(message, ctx)):
        return quoted
    found = same_pupil_or_project(documents, message, ctx)
    year = reference_year(documents, message, ctx)
    return found or ctx.register.case_ref_for(submission_id, year, ctx.config.cluster.case_prefix)


def review_case(
    documents: Sequence[ExtractedDocument], message: Message, ctx: Context
) -> str | None:
    """The case a funding review reviews: the one it quotes, else (quoting none) the same
    pupil or project this year; None when it quotes a reference the cluster does not know, or
    one of another setting's cases (the form's reference is no password either)."""
    quoted = review_refs(message, documents, ctx.config.cluster.case_prefix)
    known = next(
        (r for r in quoted if ctx.register.case_exists(r) and _may_join(message, r, ctx)), None
    )
    if known or quoted:
        return known
    return same_pupil_or_project(documents, message, ctx)


def same_pupil_or_project(
    documents: Sequence[ExtractedDocument], message: Message, ctx: Context
) -> str | None:
    year = reference_year(documents, message, ctx)
    for document in documents:
        identity = document_identity(document)
        setting = setting_of(document.form)
        found = identity and ctx.register.find_case(year, identity, setting)
        if found:
            return found
    return None


def quoted_case(message: Message, ctx: Context) -> str | None:
    """The first case quoted in the email that the register knows and the sender may join."""
    return next((r for r in _known_quotes(message, ctx) if _may_join(message, r, ctx)), None)


def foreign_quotes(message: Message, ctx: Context) -> list[Finding]:
    """A quarantine finding when the email quotes a case that is not its sender's: a
    reference is no password, so another setting quoting it must not reach the case."""
    foreign = [r for r in _known_quotes(message, ctx) if not _may_join(message, r, ctx)]
    if not foreign:
        return []
    sender = message.sender or "an unknown sender"
    return [
        finding(
            RuleCode.case_reference_not_senders,
            sender=sender,
            case_ref=", ".join(foreign),
            submission=message.id,
        )
    ]


def _known_quotes(message: Message, ctx: Context) -> list[str]:
    quoted = quoted_case_refs(message, ctx.config.cluster.case_prefix)
    return [r for r in quoted if ctx.register.case_exists(r)]


def _may_join(message: Message, case_ref: str, ctx: Context) -> bool:
    senders = [s.sender for s in ctx.register.case_submissions(case_ref) if s.sender]
    return may_quote_case(message, ctx.config, ctx.register.case_setting(case_ref), senders)


def reference_year(documents: Sequence[ExtractedDocument], message: Message, ctx: Context) -> str:
    """The academic year of the meeting that hears the request (a capital bid sent before its
    round opened is of that round; a referral sent in August is heard, and funded, in the
    autumn), or of its arrival when no meeting is configured for it."""
    arrived = london_date(message.received_at)
    heard, _ = first_hearing(request_type_of(documents), arrived, ctx.config)
    return academic_year(heard or arrived)


def academic_year(day: date) -> str:
    """'2526' for 1 September 2025 to 31 August 2026."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start % 100:02d}{(start + 1) % 100:02d}"


def case_identity(case_documents: Sequence[Arrival]) -> str | None:
    """The pupil or project the case is about, from the first document that says."""
    return next((key for _, _, d in case_documents if (key := document_identity(d))), None)
