"""The impact measures' inputs from the register, as pandas tables.

Referrals (IPN) carry the baseline: attendance this year, suspensions, at risk of permanent
exclusion, and an EHC needs assessment already in progress. Funding reviews carry the
outcome: attendance and suspensions since the funding, and a recommendation to request an
EHC needs assessment. A case's latest form of each kind counts, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from pipeline.cases.assess import london_date
from pipeline.models import Status, Submission
from schemas import FundingReview, IpnReferral

EHCNA_IN_PROGRESS = "EHC needs assessment in progress"
EHCNA_RECOMMENDED = "Request EHC needs assessment"
REFERRAL_COLUMNS = ["case_ref", "received", "attendance", "suspensions", "at_risk", "ehcna"]
REVIEW_COLUMNS = [
    "case_ref",
    "received",
    "attendance_before",
    "attendance_after",
    "suspensions_before",
    "suspensions_after",
    "ehcna",
]


def impact_inputs(submissions: Iterable[Submission]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(referrals, reviews): one row per case's latest referral, one per reviewed case's
    latest review (keyed by the case reference the review quotes)."""
    referrals: list[dict[str, Any]] = []
    reviews: list[dict[str, Any]] = []
    for submission in submissions:
        if submission.status is Status.quarantined:
            continue
        received = london_date(submission.received_at)
        for document in submission.documents:
            if (referral := document.form_as(IpnReferral)) is not None and submission.case_ref:
                referrals.append(_referral(submission.case_ref, received, referral))
            elif (review := document.form_as(FundingReview)) is not None:
                ref = (review.case_ref or submission.case_ref or "").strip().upper()
                if ref:
                    reviews.append(_review(ref, received, review))
    return _latest(referrals, REFERRAL_COLUMNS), _latest(reviews, REVIEW_COLUMNS)


def _referral(case_ref: str, received: Any, form: IpnReferral) -> dict[str, Any]:
    return {
        "case_ref": case_ref,
        "received": received,
        "attendance": _number(form.attendance_percent),
        "suspensions": _number(form.suspensions_this_year),
        "at_risk": bool(form.at_risk_of_exclusion),
        "ehcna": str(form.sen_status or "") == EHCNA_IN_PROGRESS,
    }


def _review(case_ref: str, received: Any, form: FundingReview) -> dict[str, Any]:
    return {
        "case_ref": case_ref,
        "received": received,
        "attendance_before": _number(form.attendance_before),
        "attendance_after": _number(form.attendance_after),
        "suspensions_before": _number(form.suspensions_before),
        "suspensions_after": _number(form.suspensions_after),
        "ehcna": str(form.recommendation or "") == EHCNA_RECOMMENDED,
    }


def _latest(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    return table.sort_values("received").groupby("case_ref", as_index=False).last()


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)
