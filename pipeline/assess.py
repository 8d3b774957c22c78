"""A case's documents, from every email that joined it -> request, findings, status, meeting.

Linking re-runs validation over the latest version of each document, so a provision map that
arrives a day later clears the case's missing_document.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pipeline.cases import Arrival, current_documents
from pipeline.context import Context
from pipeline.meetings.assign import assign_meeting
from pipeline.models import (
    Acceptance,
    ExtractedDocument,
    Finding,
    Frozen,
    RequestType,
    Status,
)
from pipeline.rules import RuleContext, check_request, request_type_of
from pipeline.rules.base import EarlierBid, first
from pipeline.rules.capital import earlier_bids
from schemas import main_form_kind, required_documents
from schemas.about import pupil_name_of, setting_of

LONDON = ZoneInfo("Europe/London")


class CaseOutcome(Frozen):
    request: RequestType | None
    findings: tuple[Finding, ...]
    status: Status
    meeting: date | None
    setting: str | None
    initials: str | None
    arrived: date


def assess_case(case_ref: str, arrivals: Sequence[Arrival], ctx: Context) -> CaseOutcome:
    current, superseded = current_documents(arrivals)
    documents = [document for _, _, document in current]
    request = request_type_of(documents)
    main = first(documents, main_form_kind(request)) if request else None
    form_arrived = _arrival_of(main, current) if main else _latest(current)
    findings = [f for document in documents for f in document.findings]
    findings += superseded
    findings += check_request(request, documents, _rule_context(request, form_arrived, ctx))
    arrived = _case_arrival(request, current)
    meeting, meeting_findings = _meeting(case_ref, arrived, ctx)
    findings += meeting_findings
    marked = _mark_accepted(findings, ctx.register.accepted_findings(case_ref))
    status = Status.incomplete if any(f.open_error for f in marked) else Status.complete
    return CaseOutcome(
        request=request,
        findings=tuple(marked),
        status=status,
        meeting=meeting,
        setting=setting_of(main.form) if main else _any_setting(documents),
        initials=initials(main),
        arrived=arrived,
    )


def _rule_context(request: RequestType | None, arrived: date, ctx: Context) -> RuleContext:
    """Capital bids are checked against the setting's other bids in the round."""
    bids: tuple[EarlierBid, ...] = ()
    if request is RequestType.capital:
        bids = earlier_bids(ctx.register.submissions(RequestType.capital), ctx.config.capital)
    return RuleContext(ctx.config, arrived, capital_bids_before=bids)


def london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def london_day(arrival: Arrival) -> date:
    return london_date(arrival[0])


def _arrival_of(document: ExtractedDocument, current: Sequence[Arrival]) -> date:
    return next(london_day(a) for a in current if a[2] is document)


def _latest(current: Sequence[Arrival]) -> date:
    return max(london_day(a) for a in current)


def _case_arrival(request: RequestType | None, current: Sequence[Arrival]) -> date:
    """When the case's required documents were all in: the latest of their arrivals."""
    required = required_documents(request) if request else ()
    days = [london_day(a) for a in current if a[2].kind in required]
    return max(days) if days else _latest(current)


def _meeting(case_ref: str, arrived: date, ctx: Context) -> tuple[date | None, list[Finding]]:
    moved = ctx.register.moved_meeting(case_ref)
    if moved is not None:
        return moved, []
    meeting, findings = assign_meeting(arrived, ctx.config.meetings)
    return (meeting.day if meeting else None), findings


def _mark_accepted(
    findings: Sequence[Finding], accepted: dict[tuple[str, str, str], Acceptance]
) -> list[Finding]:
    return [
        f.model_copy(update={"accepted": accepted[f.key]}) if f.key in accepted else f
        for f in findings
    ]


def _any_setting(documents: Sequence[ExtractedDocument]) -> str | None:
    return next((name for d in documents if (name := setting_of(d.form))), None)


def initials(form: ExtractedDocument | None) -> str | None:
    name = pupil_name_of(form.form) if form else None
    if not name:
        return None
    words = name.replace("-", " ").split()
    return "".join(part[0].upper() for part in words if part[:1].isalpha())
