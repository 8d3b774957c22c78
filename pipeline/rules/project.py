"""Project-Based Work rules (SPEC 4.3): the cost lines and the total they add up to.

The partner settings are matched to cluster settings with the lead setting, in
:func:`pipeline.rules.settings.canonical_setting`; the project's dates in
:mod:`pipeline.rules.dates`.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from pipeline.models import ExtractedDocument, FieldRead, Finding, Line
from pipeline.rules.base import finding, form_title
from schemas import CostLine, ProjectReferral
from schemas.codes import RuleCode
from schemas.fieldref import field_ref
from schemas.money import pounds, same_amount
from schemas.project_referral import COST_LINES

ITEM = field_ref(CostLine, lambda line: line.item)
COST = field_ref(CostLine, lambda line: line.cost)
AMOUNT_REQUESTED = field_ref(ProjectReferral, lambda f: f.amount_requested)


def check_project(form: ExtractedDocument) -> list[Finding]:
    return [*_lines(form), *_total(form)]


def _lines(form: ExtractedDocument) -> Iterator[Finding]:
    where = dict(document=form.filename)
    if not form.lines:
        yield finding(
            RuleCode.missing_field,
            "no_cost_lines",
            title=form_title(form.kind),
            field=COST_LINES,
            **where,
        )
    for number, (values, line) in enumerate(cost_lines(form), start=1):
        item, cost = line.read(ITEM), line.read(COST)
        name = f"Cost line {number}" + (f" ('{values.item}')" if values.item is not None else "")
        if cost is not None and cost.problem:
            yield finding(
                RuleCode.invalid_value,
                "line_cost",
                line=name,
                problem=cost.problem,
                field=COST.id,
                **where,
            )
        elif values.cost is None and not _unreadable(cost):
            yield finding(
                RuleCode.missing_field,
                "line_without_cost",
                line=name,
                field=COST.id,
                **where,
            )
        if values.item is None and not _unreadable(item):
            yield finding(
                RuleCode.missing_field,
                "line_without_item",
                line=name,
                field=ITEM.id,
                **where,
            )


def cost_lines(form: ExtractedDocument) -> list[tuple[CostLine, Line]]:
    """Each cost line's values, with where they were read."""
    return [(line.values, line) for line in form.lines if isinstance(line.values, CostLine)]


def _unreadable(found: FieldRead | None) -> bool:
    """Written but not readable: the line's own finding says so, not 'missing'."""
    return found is not None and found.problem is not None


def _total(form: ExtractedDocument) -> Iterator[Finding]:
    requested = AMOUNT_REQUESTED.of(form.form)
    costs = [values.cost for values, _ in cost_lines(form)]
    if requested is None or not costs or any(c is None for c in costs):
        return
    lines_sum = sum((c for c in costs if c is not None), Decimal(0))
    if not same_amount(lines_sum, requested):
        yield finding(
            RuleCode.total_mismatch,
            "cost_lines",
            label=AMOUNT_REQUESTED.label,
            requested=pounds(requested),
            lines=pounds(lines_sum),
            field=AMOUNT_REQUESTED.id,
            document=form.filename,
        )
