"""A meeting's pack from the register: its cases, the reviews falling due, the money."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from pipeline.cases.versions import arrivals, current_documents
from pipeline.context import Context
from pipeline.errors import PipelineError
from pipeline.meetings.background import previous_actions, previous_meeting, with_background
from pipeline.meetings.finance import UNKNOWN_SETTING, finance_for
from pipeline.meetings.impact.for_meeting import meeting_impact
from pipeline.meetings.models import (
    CaseFile,
    Deferral,
    MeetingPack,
    Pupil,
    ReviewDue,
)
from pipeline.meetings.reviews import ReviewForm, listed_at, review_form, review_papers
from pipeline.models import ExtractedDocument, Meeting, RequestType, Submission
from pipeline.outcomes import Decision
from pipeline.register.lifecycle import DEFERRED
from pipeline.rules.base import first
from pipeline.rules.cutoff import meetings
from schemas import main_form_kind
from schemas.about import (
    amount_requested_of,
    date_of_birth_of,
    project_title_of,
    pupil_names_of,
    upn_of,
)


def meeting_pack(ctx: Context, day: date) -> MeetingPack:
    meeting = configured_meeting(ctx, day)
    decisions = ctx.register.decisions()
    earlier = [d for d in decisions if d.meeting < day and d.decision.commits_money]
    funded = [(d, case_file(ctx, d.case_ref)) for d in earlier]
    cases = tuple(
        with_background(case_file(ctx, ref), funded, ctx.config.panel)
        for ref in ctx.register.cases_for_meeting(day)
    )
    revenue, capital = committed_money(ctx, earlier)
    previous = previous_meeting([m.day for m in meetings(ctx.config.meetings)], day)
    return MeetingPack(
        meeting=meeting,
        starts=ctx.config.meetings.starts.strftime("%H:%M"),
        ends=ctx.config.meetings.ends.strftime("%H:%M"),
        venue=ctx.config.meetings.venue,
        cluster=ctx.config.cluster.name,
        cases=cases,
        reviews_due=tuple(reviews_due(ctx, decisions, meeting)),
        finance=finance_for(ctx.config, cases, revenue, capital),
        previous=previous,
        previous_actions=previous_actions(
            decisions, previous, lambda ref: case_file(ctx, ref), ctx.register.case_states
        ),
        capital_scores={score.case_ref: score for score in ctx.register.bid_scores()},
        impact=meeting_impact(ctx, day, [case.case_ref for case in cases]),
    )


def cases_heard_at(ctx: Context, day: date) -> list[str]:
    """The meeting's cases: those listed at it, and those it decided or deferred (a deferred
    case is listed at the next meeting, but this one heard it too)."""
    decided = [d.case_ref for d in ctx.register.decisions() if d.meeting == day]
    listed = ctx.register.cases_for_meeting(day)
    return list(dict.fromkeys([*listed, *decided, *ctx.register.deferred_at(day)]))


def configured_meeting(ctx: Context, day: date) -> Meeting:
    schedule = meetings(ctx.config.meetings)
    found = next((m for m in schedule if m.day == day), None)
    if found is None:
        listed = ", ".join(m.day.isoformat() for m in schedule)
        raise PipelineError(f"no meeting is configured on {day.isoformat()}; meetings: {listed}")
    return found


def case_file(ctx: Context, case_ref: str) -> CaseFile:
    submissions = ctx.register.case_submissions(case_ref)
    if not submissions:
        raise PipelineError(f"there is no case {case_ref}")
    latest = submissions[-1]
    documents = _current(submissions)
    main = first(documents, main_form_kind(latest.request_type)) if latest.request_type else None
    return CaseFile(
        case_ref=case_ref,
        request_type=latest.request_type,
        status=latest.status,
        setting=latest.setting,
        received_at=submissions[0].received_at,
        meeting=latest.meeting,
        amount_requested=_amount(main),
        pupil=_pupil(main),
        project_title=project_title_of(main.form) if main else None,
        documents=tuple(documents),
        earlier=_earlier(submissions, documents),
        findings=tuple(f for f in latest.findings if f.accepted is None),
        accepted=tuple(f for f in latest.findings if f.accepted is not None),
        deferrals=_deferrals(ctx, case_ref),
    )


def _deferrals(ctx: Context, case_ref: str) -> tuple[Deferral, ...]:
    return tuple(
        Deferral(meeting=change.meeting, reason=change.reason, by=change.by, at=change.at)
        for change in ctx.register.case_states(case_ref)
        if change.state == DEFERRED and change.meeting is not None
    )


def reviews_due(ctx: Context, decisions: Sequence[Decision], meeting: Meeting) -> list[ReviewDue]:
    """Agreed funding reviewed at this meeting: due here (the last meeting before its review
    date), or due earlier with its review form arriving too late for that meeting."""
    due = []
    for decision in decisions:
        submissions = ctx.register.case_submissions(decision.case_ref)
        if listed_at(decision, submissions, ctx.config.meetings) == meeting.day:
            due.append(_review(ctx, decision, review_form(submissions, decision.meeting)))
    return due


def _review(ctx: Context, decision: Decision, form: ReviewForm | None) -> ReviewDue:
    case = case_file(ctx, decision.case_ref)
    assert decision.review_date is not None
    papers = review_papers(case, form, decision) if form else None
    return ReviewDue(
        case_ref=case.case_ref,
        setting=case.setting,
        request_type=case.request_type,
        pupil=case.pupil,
        project_title=case.project_title,
        decided_at=decision.meeting,
        amount_agreed=decision.amount_agreed or Decimal(0),
        review_date=decision.review_date,
        amount_spent=papers.award.amount_spent if papers and papers.award else None,
        form_received=form[0] if form else None,
        papers=papers,
    )


def committed_money(
    ctx: Context, decisions: Sequence[Decision]
) -> tuple[Decimal, dict[str, Decimal]]:
    """The revenue the decisions agreed, and the capital by setting."""
    revenue = Decimal(0)
    capital: dict[str, Decimal] = {}
    for decision in decisions:
        case = case_file(ctx, decision.case_ref)
        amount = decision.amount_agreed or Decimal(0)
        if case.request_type is RequestType.capital:
            setting = case.setting or UNKNOWN_SETTING
            capital[setting] = capital.get(setting, Decimal(0)) + amount
        else:
            revenue += amount
    return revenue, capital


def _current(submissions: Sequence[Submission]) -> list[ExtractedDocument]:
    current, _ = current_documents(arrivals(submissions))
    return [document for _, _, document in current]


def _earlier(
    submissions: Sequence[Submission], current: Sequence[ExtractedDocument]
) -> tuple[ExtractedDocument, ...]:
    kept = {d.sha256 for d in current}
    return tuple(d for s in submissions for d in s.documents if d.sha256 not in kept and d.form)


def _amount(main: ExtractedDocument | None) -> Decimal | None:
    return amount_requested_of(main.form) if main else None


def _pupil(main: ExtractedDocument | None) -> Pupil | None:
    if main is None:
        return None
    forename, surname = pupil_names_of(main.form)
    upn = upn_of(main.form)
    if not (forename or surname or upn):
        return None
    return Pupil(
        forename=forename,
        surname=surname,
        date_of_birth=date_of_birth_of(main.form),
        upn=upn or None,
    )
