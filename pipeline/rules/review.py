"""Cluster Funding Review rules (SPEC 4.6): whose funding it is, and a pupil's impact figures.

A review is of a pupil's funding or of a project's: one of ``pupil_name`` and
``project_title`` is required. A pupil's review also needs attendance and suspensions before
and since the funding (the impact the council measures).
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding, form_title
from schemas import FundingReview
from schemas.codes import RuleCode
from schemas.fieldref import FieldRef, field_ref

PUPIL = field_ref(FundingReview, lambda f: f.pupil_name)
PROJECT = field_ref(FundingReview, lambda f: f.project_title)
WHOSE = (PUPIL, PROJECT)  # one of them is required
PUPIL_OUTCOMES = (
    field_ref(FundingReview, lambda f: f.attendance_before),
    field_ref(FundingReview, lambda f: f.attendance_after),
    field_ref(FundingReview, lambda f: f.suspensions_before),
    field_ref(FundingReview, lambda f: f.suspensions_after),
)


def check_review(form: ExtractedDocument) -> list[Finding]:
    return [*_whose(form), *_pupil_outcomes(form)]


def _present(form: ExtractedDocument, field: FieldRef[object]) -> bool:
    """Filled in: a readable value, or one the generic rules already report as unreadable."""
    found = form.read(field)
    return field.of(form.form) is not None or (found is not None and found.problem is not None)


def _whose(form: ExtractedDocument) -> Iterator[Finding]:
    review = form.form_as(FundingReview)
    if review is None or review.pupil_name or review.project_title:
        return
    if any(_present(form, field) for field in WHOSE):
        return
    yield finding(
        RuleCode.missing_field,
        "review_of_nobody",
        title=form_title(form.kind),
        pupil_label=PUPIL.label,
        project_label=PROJECT.label,
        field=PUPIL.id,
        document=form.filename,
    )


def _pupil_outcomes(form: ExtractedDocument) -> Iterator[Finding]:
    review = form.form_as(FundingReview)
    if review is None or not review.pupil_name:
        return
    for field in PUPIL_OUTCOMES:
        if not _present(form, field):
            yield finding(
                RuleCode.missing_field,
                "pupil_review_outcome",
                label=field.label,
                title=form_title(form.kind),
                field=field.id,
                document=form.filename,
            )
