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
            field="parent_consent",
            **where,
        )
    given, declared = referral.consent_date, referral.declaration_date
    if given and declared and given < declared - relativedelta(months=12):
        yield finding(
            RuleCode.consent_stale,
            given=uk(given),
            declared=uk(declared),
            field="consent_date",
            **where,
        )


def _future(form: ExtractedDocument, days: dict[str, date], ctx: RuleContext) -> Iterator[Finding]:
    for field in NOT_AFTER_ARRIVAL:
        day = days.get(field)
        if day is not None and day > ctx.received:
            yield finding(
                RuleCode.date_in_future,
                label=label_of(form.kind, field),
                day=uk(day),
                arrived=uk(ctx.received),
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
                end_label=label_of(form.kind, end_field),
                end=uk(end),
                start_label=label_of(form.kind, start_field),
                start=uk(start),
                **where,
            )
        elif start_field == "funding_start" and end > start + relativedelta(months=12):
            yield finding(
                RuleCode.funding_period_over_year,
                start=uk(start),
                end=uk(end),
                **where,
            )
