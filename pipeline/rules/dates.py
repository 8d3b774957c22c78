"""Date rules: consent, dates after arrival, start before end, funding within a year."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dateutil.relativedelta import relativedelta

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import RuleContext, finding, label_of, uk, value

NOT_AFTER_ARRIVAL = (
    "consent_date",
    "declaration_date",
    "review_date",
    "date_completed",
    "ehcp_date",
    "date_allocated",
)
PERIODS = (
    ("funding_start", "funding_end"),
    ("project_start", "project_end"),
    ("date_allocated", "review_date"),
)


def check_dates(form: ExtractedDocument, ctx: RuleContext) -> list[Finding]:
    return [*_consent(form), *_future(form, ctx), *_order_and_length(form)]


def _consent(form: ExtractedDocument) -> Iterator[Finding]:
    where = dict(document=form.filename)
    if value(form, "parent_consent") is False:
        yield finding(
            "no_consent",
            "The form says the parent/carer has not consented. The "
            "panel cannot consider a referral without consent to the referral and to "
            "sharing information.",
            field="parent_consent",
            **where,
        )
    given, declared = value(form, "consent_date"), value(form, "declaration_date")
    if (
        isinstance(given, date)
        and isinstance(declared, date)
        and given < declared - relativedelta(months=12)
    ):
        yield finding(
            "consent_stale",
            f"Consent was given on {uk(given)}, more than 12 months "
            f"before the declaration ({uk(declared)}). Please renew consent with the "
            "parent/carer.",
            field="consent_date",
            **where,
        )


def _future(form: ExtractedDocument, ctx: RuleContext) -> Iterator[Finding]:
    for field in NOT_AFTER_ARRIVAL:
        day = value(form, field)
        if isinstance(day, date) and day > ctx.received:
            yield finding(
                "date_in_future",
                f"'{label_of(form.kind, field)}' is {uk(day)}, after "
                f"the day the referral arrived ({uk(ctx.received)}). Please check the "
                "date.",
                field=field,
                document=form.filename,
            )


def _order_and_length(form: ExtractedDocument) -> Iterator[Finding]:
    for start_field, end_field in PERIODS:
        start, end = value(form, start_field), value(form, end_field)
        if not (isinstance(start, date) and isinstance(end, date)):
            continue
        where = dict(field=end_field, document=form.filename)
        if end < start:
            yield finding(
                "date_order",
                f"'{label_of(form.kind, end_field)}' ({uk(end)}) is "
                f"before '{label_of(form.kind, start_field)}' ({uk(start)}). Please "
                "correct the dates.",
                **where,
            )
        elif start_field == "funding_start" and end > start + relativedelta(months=12):
            yield finding(
                "funding_period_over_year",
                f"Funding runs from {uk(start)} to "
                f"{uk(end)}, more than 12 months. Allocated funding is reviewed within "
                "a year: the panel may agree a shorter period.",
                **where,
            )
