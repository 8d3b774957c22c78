"""Cluster Funding Review rules (SPEC 4.6): whose funding it is, and a pupil's impact figures.

A review is of a pupil's funding or of a project's: one of ``pupil_name`` and
``project_title`` is required. A pupil's review also needs attendance and suspensions before
and since the funding (the impact the council measures).
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding, form_title, label_of
from schemas import FundingReview, filled
from schemas.codes import RuleCode
from schemas.funding_review import PUPIL_OUTCOMES, WHOSE


def check_review(form: ExtractedDocument) -> list[Finding]:
    return [*_whose(form), *_pupil_outcomes(form)]


def _present(form: ExtractedDocument, field_id: str) -> bool:
    """Filled in: a readable value, or one the generic rules already report as unreadable."""
    found = form.fields.get(field_id)
    values = dict(filled(form.form)) if form.form is not None else {}
    return field_id in values or (found is not None and found.problem is not None)


def _whose(form: ExtractedDocument) -> Iterator[Finding]:
    review = form.form_as(FundingReview)
    if review is None or review.pupil_name or review.project_title:
        return
    if any(_present(form, field_id) for field_id in WHOSE):
        return
    yield finding(
        RuleCode.missing_field,
        "review_of_nobody",
        title=form_title(form.kind),
        pupil_label=label_of(form.kind, "pupil_name"),
        project_label=label_of(form.kind, "project_title"),
        field="pupil_name",
        document=form.filename,
    )


def _pupil_outcomes(form: ExtractedDocument) -> Iterator[Finding]:
    review = form.form_as(FundingReview)
    if review is None or not review.pupil_name:
        return
    for field_id in PUPIL_OUTCOMES:
        if not _present(form, field_id):
            yield finding(
                RuleCode.missing_field,
                "pupil_review_outcome",
                label=label_of(form.kind, field_id),
                title=form_title(form.kind),
                field=field_id,
                document=form.filename,
            )
