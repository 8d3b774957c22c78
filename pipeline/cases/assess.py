"""A case's documents, from every email that joined it -> request, findings, status, meeting.

Linking re-runs validation over the latest version of each document, so a provision map that
arrives a day later clears the case's missing_document. What the register knew of the case
comes in as a snapshot (:class:`CaseHistory`): assessing reads nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from pipeline.cases.history import CaseHistory
from pipeline.cases.versions import Arrival, arrivals, current_documents
from pipeline.config import Config
from pipeline.models import Acceptance, ExtractedDocument, Finding, RequestType, Status, Submission
from pipeline.outcomes import CaseOutcome
from pipeline.rules import RuleContext, check_request, request_type_of
from pipeline.rules.base import first
from pipeline.rules.capital_round import past_the_round, round_meeting
from pipeline.rules.cutoff import assign_meeting
from schemas import main_form_kind, required_documents
from schemas.about import pupil_name_of, setting_of

LONDON = ZoneInfo("Europe/London")


def assess_case(history: CaseHistory, arriving: Sequence[Arrival], config: Config) -> CaseOutcome:
    """The case's earlier documents and the arriving ones, validated together."""
    current, superseded = current_documents(arrivals(history.earlier) + list(arriving))
    documents = [document for _, _, document in current]
    request = request_type_of(documents)
    main = first(documents, main_form_kind(request)) if request else None
    form_arrived = _arrival_of(main, current) if main else _latest(current)
    findings = [f for document in documents for f in document.findings]
    findings += superseded
    rules = RuleContext(config, form_arrived, capital_bids_before=history.capital_bids)
    findings += check_request(request, documents, rules)
    arrived = _case_arrival(request, current)
    meeting, meeting_findings = _meeting(history, request, arrived, config)
    findings += meeting_findings
    marked = _mark_accepted(findings, history.accepted)
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


def current_request(
    earlier: Sequence[Submission], arriving: Sequence[Arrival]
) -> RequestType | None:
    """The request the case's current documents make (which history the rules need)."""
    current, _ = current_documents(arrivals(earlier) + list(arriving))
    return request_type_of([document for _, _, document in current])


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


def _meeting(
    history: CaseHistory, request: RequestType | None, arrived: date, config: Config
) -> tuple[date | None, list[Finding]]:
    if history.moved_meeting is not None:
        return history.moved_meeting, []
    return first_hearing(request, arrived, config)


def first_hearing(
    request: RequestType | None, arrived: date, config: Config
) -> tuple[date | None, list[Finding]]:
    """The meeting a request arriving on ``arrived`` is heard at, with the findings that say
    why it is not the next one: a capital bid at its round's meeting, any other request by
    the cut-off rule."""
    held = round_meeting(arrived, config) if request is RequestType.capital else None
    if held is not None:
        return held.day, []
    meeting, findings = assign_meeting(arrived, config.meetings)
    if meeting is not None and request is RequestType.capital and past_the_round(meeting, config):
        return None, []  # after_round_deadline says why
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
