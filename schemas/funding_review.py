"""SPEC 4.6: the Cluster Funding Review of an allocation, for a pupil or for a project.

``pupil_name`` and ``project_title`` are each optional here, but one of them is required, and
a pupil's review needs attendance and suspensions before and after: the rules check both.
"""

from __future__ import annotations

from schemas.form import Form, field
from schemas.kinds import DocumentKind, RequestType
from schemas.types import Int, LongText, Money, Percent, Recommendation, Text, UKDate

WHOSE = ("pupil_name", "project_title")  # one of them is required
PUPIL_OUTCOMES = (
    "attendance_before",
    "attendance_after",
    "suspensions_before",
    "suspensions_after",
)


class FundingReview(Form):
    kind = DocumentKind.funding_review
    title = "Cluster Funding Review"
    title_alternatives = ("Cluster Funding Review Form", "Review of Allocated Funding")
    request_type = RequestType.review
    sections = (
        ("Section 1: The allocation", ("case_ref", "setting_name", "pupil_name", "project_title")),
        ("Section 2: Funding", ("date_allocated", "amount_allocated", "amount_spent")),
        ("Section 3: Impact", ("progress", *PUPIL_OUTCOMES)),
        ("Section 4: Outcome of the review", ("recommendation", "review_date")),
    )

    case_ref: Text | None = field("Cluster case reference", "Case reference", "Case ref")
    setting_name: Text | None = field("Name of school/setting", "School", "Setting")
    pupil_name: Text | None = field("Pupil name", "Name of pupil", required=False)
    project_title: Text | None = field("Project title", required=False)
    date_allocated: UKDate | None = field("Date funding allocated", "Date allocated")
    amount_allocated: Money | None = field("Amount allocated (£)", "Amount allocated")
    amount_spent: Money | None = field("Amount spent to date (£)", "Amount spent to date")
    progress: LongText | None = field("Progress towards outcomes", "Progress")
    attendance_before: Percent | None = field(
        "Attendance before funding (%)",
        "Attendance before funding",
        "Attendance before",
        required=False,
    )
    attendance_after: Percent | None = field(
        "Attendance since funding (%)",
        "Attendance since funding",
        "Attendance after",
        required=False,
    )
    suspensions_before: Int | None = field(
        "Suspensions before funding", "Suspensions before", required=False
    )
    suspensions_after: Int | None = field(
        "Suspensions since funding", "Suspensions after", required=False
    )
    recommendation: Recommendation | None = field("Recommendation")
    review_date: UKDate | None = field("Date of review", "Review date")
