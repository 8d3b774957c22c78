"""Date rules: consent, dates after arrival, start before end, funding within a year."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dateutil.relativedelta import relativedelta

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import RuleContext, finding, label_of, uk
from schemas import IpnReferral
from schemas.codes import RuleCode
from schemas.reading import dates_of

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
    days = dates_of(form.form) if form.form is not None else {}
    return [*_consent(form), *_future(form, days, ctx), *_order_and_length(form, days)]


def _consent(form: ExtractedDocument) -> Iterator[Finding]:
    where = dict(document=form.filename)
    referral = form.form_as(IpnReferral)
    if referral is None:
        return
    if referral.parent_consent is False:
        yield finding(
            RuleCode.no_consent,
            "The form says the parent/carer has not consented. The "
            "panel cannot consider a referral without consent to the referral and to "
            "sharing information.",
            field="parent_consent",
            **where,
        )
    given, declared = referral.consent_date, referral.declaration_date
    if given and declared and given < declared - relativedelta(months=12):
        yield finding(
            RuleCode.consent_stale,
            f"Consent was given on {uk(given)}, more than 12 months "
            f"before the declaration ({uk(declared)}). Please renew consent with the "
            "parent/carer.",
            field="consent_date",
            **where,
        )


def _future(form: ExtractedDocument, days: dict[str, date], ctx: RuleContext) -> Iterator[Finding]:
    for field in NOT_AFTER_ARRIVAL:
        day = days.get(field)
        if day is not None and day > ctx.received:
            yield finding(
                RuleCode.date_in_future,
                f"'{label_of(form.kind, field)}' is {uk(day)}, after "
                f"the day the referral arrived ({uk(ctx.received)}). Please check the "
                "date.",
                field=field,
                document=form.filename,
            )


def _order_and_length(form: ExtractedDocument, days: dict[str, date]) -> Iterator[Finding]:
    for start_field, end_field in PERIODS:
        start, end = days.get(start_field), days.get(end_field)
        if start is None or end is None:
            continue
        where = dict(field=end_field, document=form.filename)
        if end < start:
            yield finding(
                RuleCode.date_order,
                f"'{label_of(form.kind, end_field)}' ({uk(end)}) is "
                f"before '{label_of(form.kind, start_field)}' ({uk(start)}). Please "
                "correct the dates.",
                **where,
            )
        elif start_field == "funding_start" and end > start + relativedelta(months=12):
            yield finding(
                RuleCode.funding_period_over_year,
                f"Funding runs from {uk(start)} to "
                f"{uk(end)}, more than 12 months. Allocated funding is reviewed within "
                "a year: the panel may agree a shorter period.",
                **where,
            )
