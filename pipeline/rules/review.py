"""Cluster Funding Review rules (SPEC 4.6): whose funding it is, and a pupil's impact figures.

A review is of a pupil's funding or of a project's: one of ``pupil_name`` and
``project_title`` is required. A pupil's review also needs attendance and suspensions before
and since the funding (the impact the council measures).
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import finding, form_title, label_of
from schemas.funding_review import PUPIL_OUTCOMES


def check_review(form: ExtractedDocument) -> list[Finding]:
    return [*_whose(form), *_pupil_outcomes(form)]


def _present(form: ExtractedDocument, field_id: str) -> bool:
    """Filled in: a readable value, or one the generic rules already report as unreadable."""
    found = form.fields.get(field_id)
    return found is not None and (found.has_value or found.problem is not None)


def _whose(form: ExtractedDocument) -> Iterator[Finding]:
    if _present(form, "pupil_name") or _present(form, "project_title"):
        return
    yield finding(
        "missing_field",
        f"The {form_title(form.kind)} names neither a pupil nor a project. Please fill in "
        f"'{label_of(form.kind, 'pupil_name')}' for a pupil's funding, or "
        f"'{label_of(form.kind, 'project_title')}' for a project's.",
        field="pupil_name",
        document=form.filename,
    )


def _pupil_outcomes(form: ExtractedDocument) -> Iterator[Finding]:
    if not form.value("pupil_name"):
        return
    for field_id in PUPIL_OUTCOMES:
        if not _present(form, field_id):
            yield finding(
                "missing_field",
                f"'{label_of(form.kind, field_id)}' is empty on the {form_title(form.kind)}. "
                "A pupil's review needs attendance and suspensions before and since the "
                "funding, so the panel can see its impact.",
                field=field_id,
                document=form.filename,
            )
