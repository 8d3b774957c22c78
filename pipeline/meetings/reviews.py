"""Reviews of agreed funding: which meeting hears each, and the school's review form.

Agreed funding is reviewed at the last meeting before its review date. The school's Cluster
Funding Review form joins the case; arriving after that meeting's cut-off, it is heard at the
next meeting it can make. Its papers are the review form, with the original award beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pipeline.cases.assess import london_date
from pipeline.config import Meetings
from pipeline.meetings.models import Award, CaseFile
from pipeline.models import ExtractedDocument, Meeting, RequestType, Status, Submission
from pipeline.outcomes import Decision
from pipeline.rules.cutoff import assign_meeting, meetings
from pipeline.rules.review import check_review
from schemas import DocumentKind, FundingReview

ReviewForm = tuple[datetime, ExtractedDocument]  # when it arrived, the form


def due_meeting(schedule: Sequence[Meeting], decision: Decision) -> date | None:
    """The last meeting after the decision and before its review date."""
    if not (decision.decision.commits_money and decision.review_date):
        return None
    before = [m.day for m in schedule if decision.meeting < m.day < decision.review_date]
    return before[-1] if before else None


def review_form(submissions: Sequence[Submission], decided: date) -> ReviewForm | None:
    """The latest review form the case received after the meeting that agreed the funding."""
    forms = [
        (s.received_at, d)
        for s in submissions
        for d in s.documents
        if d.kind is DocumentKind.funding_review and london_date(s.received_at) > decided
    ]
    return max(forms, key=lambda f: f[0]) if forms else None


def heard_at(due: date, form: ReviewForm | None, config: Meetings) -> date:
    """The due meeting, or the first one after it the late form can make."""
    if form is None:
        return due
    assigned, _ = assign_meeting(london_date(form[0]), config)
    return max(due, assigned.day) if assigned else due


def listed_at(
    decision: Decision, submissions: Sequence[Submission], config: Meetings
) -> date | None:
    due = due_meeting(meetings(config), decision)
    if due is None:
        return None
    return heard_at(due, review_form(submissions, decision.meeting), config)


def review_papers(case: CaseFile, form: ReviewForm, decision: Decision) -> CaseFile:
    """The review as the panel reads it: the form, its findings, the award it reviews."""
    _, document = form
    findings = (*document.findings, *check_review(document))
    open_errors = any(f.open_error for f in findings)
    return case.model_copy(
        update={
            "request_type": RequestType.review,
            "status": Status.incomplete if open_errors else Status.complete,
            "amount_requested": None,
            "documents": (document,),
            "findings": tuple(f for f in findings if f.accepted is None),
            "accepted": (),
            "earlier": (*case.documents, *case.earlier),
            "award": award_of(decision, document),
        }
    )


def award_of(decision: Decision, form: ExtractedDocument | None) -> Award:
    review = form.form_as(FundingReview) if form is not None else None
    return Award(
        decision=decision.decision,
        meeting=decision.meeting,
        amount_agreed=decision.amount_agreed,
        review_date=decision.review_date,
        amount_spent=review.amount_spent if review is not None else None,
    )
