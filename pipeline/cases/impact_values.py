"""What one submission gives the impact measures: a referral's baseline, a review's outcome.

Referrals (IPN) carry the baseline: attendance this year, suspensions, at risk of permanent
exclusion, an EHC needs assessment already in progress. Funding reviews carry the outcome:
attendance and suspensions since the funding, and a recommendation to request an EHC needs
assessment. Taken per submission so the reports can keep them with the rest of its parts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.cases.assess import london_date
from pipeline.models import Status, Submission
from schemas import FundingReview, IpnReferral

EHCNA_IN_PROGRESS = "EHC needs assessment in progress"
EHCNA_RECOMMENDED = "Request EHC needs assessment"
Row = dict[str, Any]
ImpactValues = tuple[tuple[Row, ...], tuple[Row, ...]]  # (referrals, reviews)


def impact_values(submission: Submission) -> ImpactValues:
    if submission.status is Status.quarantined:
        return (), ()
    received = london_date(submission.received_at)
    referrals: list[Row] = []
    reviews: list[Row] = []
    for document in submission.documents:
        if (referral := document.form_as(IpnReferral)) is not None and submission.case_ref:
            referrals.append(_referral(submission.case_ref, received, referral))
        elif (review := document.form_as(FundingReview)) is not None:
            ref = (review.case_ref or submission.case_ref or "").strip().upper()
            if ref:
                reviews.append(_review(ref, received, review))
    return tuple(referrals), tuple(reviews)


def _referral(case_ref: str, received: date, form: IpnReferral) -> Row:
    return {
        "case_ref": case_ref,
        "received": received,
        "attendance": _number(form.attendance_percent),
        "suspensions": _number(form.suspensions_this_year),
        "at_risk": bool(form.at_risk_of_exclusion),
        "ehcna": str(form.sen_status or "") == EHCNA_IN_PROGRESS,
    }


def _review(case_ref: str, received: date, form: FundingReview) -> Row:
    return {
        "case_ref": case_ref,
        "received": received,
        "attendance_before": _number(form.attendance_before),
        "attendance_after": _number(form.attendance_after),
        "suspensions_before": _number(form.suspensions_before),
        "suspensions_after": _number(form.suspensions_after),
        "ehcna": str(form.recommendation or "") == EHCNA_RECOMMENDED,
    }


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)
