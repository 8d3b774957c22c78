"""Money rules of the provision map: each line's cost, the totals, the form's amount."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.models import ExtractedDocument, FieldValue, Finding
from pipeline.rules.base import finding, money, value
from schemas import CostedLine, ProvisionLine

TOLERANCE = 1.0
SCHOOL_YEAR_WEEKS = 39


def check_provision_map(pmap: ExtractedDocument) -> list[Finding]:
    return [*_lines(pmap), *_totals(pmap)]


def line_model(line: dict[str, FieldValue]) -> ProvisionLine:
    return ProvisionLine.model_construct(**{k: v.value for k, v in line.items()})


def _lines(pmap: ExtractedDocument) -> Iterator[Finding]:
    for number, line in enumerate(pmap.lines, start=1):
        model = line_model(line)
        where = dict(document=pmap.filename)
        row = _row_of(line)
        if model.weeks is not None and model.weeks > SCHOOL_YEAR_WEEKS:
            yield finding(
                "weeks_over_school_year",
                f"Provision line {number}{row} runs for "
                f"{model.weeks:g} weeks; a school year is {SCHOOL_YEAR_WEEKS} weeks. "
                "Please check the number of weeks.",
                field="weeks",
                **where,
            )
        computed = CostedLine.cost_of(model)
        if (
            computed is not None
            and model.annual_cost is not None
            and abs(computed - model.annual_cost) > TOLERANCE
        ):
            yield finding(
                "line_cost_mismatch",
                f"Provision line {number}{row} shows an annual "
                f"cost of {money(model.annual_cost)}, but its sessions, minutes, weeks, "
                f"hourly rate and group size give {money(computed)}. Please check the "
                "line.",
                field="annual_cost",
                **where,
            )


def _row_of(line: dict[str, FieldValue]) -> str:
    """' (row 9)' for a line read from a sheet, so the school can find it."""
    for field in line.values():
        match = re.search(r"cell [A-Z]+(\d+)$", field.source.location)
        if match:
            return f" (row {match.group(1)})"
    return ""


def _totals(pmap: ExtractedDocument) -> Iterator[Finding]:
    total, contribution, requested = (
        value(pmap, f) for f in ("total_cost", "element2_contribution", "amount_requested")
    )
    costs = [line_model(line).annual_cost for line in pmap.lines]
    where = dict(document=pmap.filename)
    if total is not None and costs and all(c is not None for c in costs):
        lines_sum = round(sum(c for c in costs if c is not None), 2)
        if abs(lines_sum - total) > TOLERANCE:
            yield finding(
                "total_mismatch",
                f"The total cost of provision is {money(total)}, but "
                f"the provision lines add up to {money(lines_sum)}. Please correct the "
                "total.",
                field="total_cost",
                **where,
            )
    if (
        None not in (total, contribution, requested)
        and abs(total - contribution - requested) > TOLERANCE
    ):
        yield finding(
            "total_mismatch",
            f"The amount requested from the cluster is "
            f"{money(requested)}, but the total cost {money(total)} less the Element 2 "
            f"contribution {money(contribution)} is {money(total - contribution)}.",
            field="amount_requested",
            **where,
        )


def check_amounts(form: ExtractedDocument, pmap: ExtractedDocument) -> list[Finding]:
    asked, mapped = value(form, "amount_requested"), value(pmap, "amount_requested")
    if asked is None or mapped is None or abs(asked - mapped) <= TOLERANCE:
        return []
    return [
        finding(
            "amount_mismatch",
            f"The form asks for {money(asked)}, but the costed "
            f"provision map asks for {money(mapped)}. Please make the two amounts the "
            "same.",
            field="amount_requested",
            document=form.filename,
        )
    ]
