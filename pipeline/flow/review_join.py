"""A funding review joins the case whose funding it reviews, never a case of its own.

The outcome email asks the school to quote the case reference; the review form has a field
for it too. A review whose reference the cluster does not know (or that quotes none, and
names no pupil or project of an earlier case) is a finding for the school to put right.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.cases.assess import initials, london_date
from pipeline.cases.split import case_refs_in, quoted_case_refs
from pipeline.config import Config
from pipeline.context import Context
from pipeline.flow.from_message import submission_from
from pipeline.meetings.reviews import listed_at
from pipeline.models import ExtractedDocument, Finding, Message, RequestType, Status, Submission
from pipeline.register.lifecycle import INTAKE, CaseState
from pipeline.rules import RuleContext, check_request, finding, request_type_of
from pipeline.rules.base import first, form_title
from pipeline.rules.review import check_review
from schemas import DocumentKind, FundingReview
from schemas.about import setting_of
from schemas.codes import RuleCode
from schemas.fieldref import field_ref

CASE_REF = field_ref(FundingReview, lambda f: f.case_ref)


def is_review(documents: Sequence[ExtractedDocument]) -> bool:
    return request_type_of(documents) is RequestType.review


def review_refs(message: Message, documents: Sequence[ExtractedDocument], prefix: str) -> list[str]:
    """The references a review quotes: in the subject or body, then on the form."""
    quoted = quoted_case_refs(message, prefix)
    form = _review_form(documents)
    review = form.form_as(FundingReview) if form else None
    if review is not None and review.case_ref:
        quoted += case_refs_in(review.case_ref, prefix) or [review.case_ref.strip()]
    return list(dict.fromkeys(quoted))


def joined_review(
    submission: Submission, earlier: Sequence[Submission], ctx: Context
) -> Submission:
    """A review that joined its case, as the school sent it: a review, with the findings on
    its own documents, for the meeting that hears it (where it is due, or the next one it
    can make); the case is under review for that meeting."""
    case_ref = submission.case_ref or ""
    decision = ctx.register.decision(case_ref)
    heard = listed_at(decision, [*earlier, submission], ctx.config.meetings) if decision else None
    form = _review_form(submission.documents)
    findings = [f for d in submission.documents for f in d.findings]
    findings += check_review(form) if form else []
    open_errors = any(f.open_error for f in findings)
    ctx.register.record_state(
        case_ref, CaseState.under_review, heard, "the school's funding review arrived", INTAKE
    )
    return submission.model_copy(
        update={
            "request_type": RequestType.review,
            "meeting": heard or submission.meeting,
            "status": Status.incomplete if open_errors else Status.complete,
            "findings": tuple(findings),
        }
    )


def review_without_case(
    submission_id: str,
    message: Message,
    documents: Sequence[ExtractedDocument],
    config: Config,
) -> Submission:
    """The review as the school sent it, with every finding on it and the one that says which
    reference to fix."""
    form = _review_form(documents)
    quoted = review_refs(message, documents, config.cluster.case_prefix)
    arrived = london_date(message.received_at)
    own = [f for d in documents for f in d.findings]
    own += check_request(RequestType.review, documents, RuleContext(config, arrived))
    return submission_from(
        message,
        Status.incomplete,
        (*own, _no_case(form, quoted)),
        submission_id=submission_id,
        documents=documents,
        request_type=RequestType.review,
        setting=setting_of(form.form) if form else None,
        pupil_initials=initials(form),
    )


def _no_case(form: ExtractedDocument | None, quoted: Sequence[str]) -> Finding:
    title = form_title(DocumentKind.funding_review)
    document = form.filename if form else None
    if quoted:
        return finding(
            RuleCode.invalid_value,
            "unknown_case_ref",
            title=title,
            ref=", ".join(quoted),
            field=CASE_REF.id,
            document=document,
        )
    return finding(
        RuleCode.missing_field,
        "review_without_case_ref",
        title=title,
        label=CASE_REF.label,
        field=CASE_REF.id,
        document=document,
    )


def _review_form(documents: Sequence[ExtractedDocument]) -> ExtractedDocument | None:
    return first(documents, DocumentKind.funding_review)
