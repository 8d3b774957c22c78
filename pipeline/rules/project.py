"""Project-Based Work rules (SPEC 4.3): the cost lines and the total they add up to.

The partner settings are matched to cluster settings with the lead setting, in
:func:`pipeline.rules.settings.canonical_setting`; the project's dates in
:mod:`pipeline.rules.dates`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.models import ExtractedDocument, FieldValue, Finding
from pipeline.rules.base import finding, form_title, label_of, money, value

TOLERANCE = 1.0


def check_project(form: ExtractedDocument) -> list[Finding]:
    return [*_lines(form), *_total(form)]


def _lines(form: ExtractedDocument) -> Iterator[Finding]:
    where = dict(document=form.filename)
    if not form.lines:
        yield finding(
            "missing_field",
            f"The {form_title(form.kind)} has no cost lines. Please list each item and its "
            "cost (£) in the cost table, so the panel can see how the amount requested is "
            "made up.",
            field="cost_lines",
            **where,
        )
    for number, line in enumerate(form.lines, start=1):
        item, cost = line.get("item"), line.get("cost")
        name = f"Cost line {number}" + (f" ('{item.value}')" if item and item.has_value else "")
        if cost is not None and cost.problem:
            yield finding(
                "invalid_value",
                f"{name}: the cost could not be read: {cost.problem}.",
                field="cost",
                **where,
            )
        elif not _filled(cost):
            yield finding(
                "missing_field",
                f"{name} has no cost. Please give the cost in pounds of every item.",
                field="cost",
                **where,
            )
        if not _filled(item):
            yield finding(
                "missing_field",
                f"{name} has a cost but no item. Please say what each cost is for.",
                field="item",
                **where,
            )


def _filled(found: FieldValue | None) -> bool:
    return found is not None and (found.has_value or found.problem is not None)


def _total(form: ExtractedDocument) -> Iterator[Finding]:
    requested = value(form, "amount_requested")
    costs: list[float | None] = [
        line["cost"].value if "cost" in line else None for line in form.lines
    ]
    if requested is None or not costs or any(c is None for c in costs):
        return
    lines_sum = round(sum(c for c in costs if c is not None), 2)
    if abs(lines_sum - requested) > TOLERANCE:
        yield finding(
            "total_mismatch",
            f"'{label_of(form.kind, 'amount_requested')}' is {money(requested)}, but the "
            f"cost lines add up to {money(lines_sum)}. Please correct the total or the "
            "cost lines.",
            field="amount_requested",
            document=form.filename,
        )
