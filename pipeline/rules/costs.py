"""Money rules of the provision map: each line's cost, the totals, the form's amount."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from pipeline.models import ExtractedDocument, Finding, Line
from pipeline.rules.base import finding
from schemas import ProvisionLine, ProvisionMap
from schemas.about import amount_requested_of
from schemas.codes import RuleCode
from schemas.fieldref import field_ref
from schemas.money import pounds, same_amount

SCHOOL_YEAR_WEEKS = 39
WEEKS = field_ref(ProvisionLine, lambda line: line.weeks)
ANNUAL_COST = field_ref(ProvisionLine, lambda line: line.annual_cost)
TOTAL_COST = field_ref(ProvisionMap, lambda f: f.total_cost)
AMOUNT_REQUESTED = field_ref(ProvisionMap, lambda f: f.amount_requested)


def check_provision_map(pmap: ExtractedDocument) -> list[Finding]:
    return [*_lines(pmap), *_totals(pmap)]


def provision_lines(pmap: ExtractedDocument) -> list[tuple[ProvisionLine, Line]]:
    """Each provision line's values, with where they were read."""
    return [(line.values, line) for line in pmap.lines if isinstance(line.values, ProvisionLine)]


def _lines(pmap: ExtractedDocument) -> Iterator[Finding]:
    for number, (model, line) in enumerate(provision_lines(pmap), start=1):
        where = dict(document=pmap.filename)
        row = _row_of(line)
        if model.weeks is not None and model.weeks > SCHOOL_YEAR_WEEKS:
            yield finding(
                RuleCode.weeks_over_school_year,
                line=f"{number}{row}",
                weeks=f"{model.weeks:g}",
                school_year=SCHOOL_YEAR_WEEKS,
                field=WEEKS.id,
                **where,
            )
        cost = line.read(ANNUAL_COST)
        if cost is not None and cost.problem:
            yield finding(
                RuleCode.invalid_value,
                "line_cost",
                line=f"Provision line {number}{row}",
                problem=cost.problem,
                field=ANNUAL_COST.id,
                **where,
            )
        computed = model.cost_by_formula()
        if (
            computed is not None
            and model.annual_cost is not None
            and not same_amount(computed, model.annual_cost)
        ):
            yield finding(
                RuleCode.line_cost_mismatch,
                line=f"{number}{row}",
                shown=pounds(model.annual_cost),
                computed=pounds(computed),
                field=ANNUAL_COST.id,
                **where,
            )


def _row_of(line: Line) -> str:
    """' (row 9)' for a line read from a sheet, so the school can find it."""
    for field in line.fields.values():
        match = re.search(r"cell [A-Z]+(\d+)$", field.source.location)
        if match:
            return f" (row {match.group(1)})"
    return ""


def _totals(pmap: ExtractedDocument) -> Iterator[Finding]:
    sheet = pmap.form_as(ProvisionMap)
    if sheet is None:
        return
    total, contribution, requested = (
        sheet.total_cost,
        sheet.element2_contribution,
        sheet.amount_requested,
    )
    costs = [model.annual_cost for model, _ in provision_lines(pmap)]
    where = dict(document=pmap.filename)
    if total is not None and costs and all(c is not None for c in costs):
        lines_sum = sum((c for c in costs if c is not None), Decimal(0))
        if not same_amount(lines_sum, total):
            yield finding(
                RuleCode.total_mismatch,
                "total_cost",
                total=pounds(total),
                lines=pounds(lines_sum),
                field=TOTAL_COST.id,
                **where,
            )
    if (
        total is not None
        and contribution is not None
        and requested is not None
        and not same_amount(total - contribution, requested)
    ):
        yield finding(
            RuleCode.total_mismatch,
            "amount_requested",
            requested=pounds(requested),
            total=pounds(total),
            contribution=pounds(contribution),
            difference=pounds(total - contribution),
            field=AMOUNT_REQUESTED.id,
            **where,
        )


def check_amounts(form: ExtractedDocument, pmap: ExtractedDocument) -> list[Finding]:
    asked, mapped = amount_requested_of(form.form), amount_requested_of(pmap.form)
    if asked is None or mapped is None or same_amount(asked, mapped):
        return []
    return [
        finding(
            RuleCode.amount_mismatch,
            asked=pounds(asked),
            mapped=pounds(mapped),
            field=AMOUNT_REQUESTED.id,
            document=form.filename,
        )
    ]
