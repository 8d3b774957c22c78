"""Date rules: consent, dates after arrival, start before end, funding within a year."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from pipeline.models import ExtractedDocument, Finding
from pipeline.rules.base import RuleContext, finding, uk
from schemas import (
    CapitalBid,
    EhcpExceptional,
    FundingReview,
    IpnReferral,
    ProjectReferral,
    ProvisionMap,
)
from schemas.codes import RuleCode
from schemas.fieldref import FieldRef, field_ref

PARENT_CONSENT = field_ref(IpnReferral, lambda f: f.parent_consent)
CONSENT_DATE = field_ref(IpnReferral, lambda f: f.consent_date)
# Dates that cannot be after the email arrived, in the order their findings are listed.
NOT_AFTER_ARRIVAL: tuple[FieldRef[date], ...] = (
    CONSENT_DATE,
    field_ref(IpnReferral, lambda f: f.declaration_date),
    field_ref(ProjectReferral, lambda f: f.declaration_date),
    field_ref(EhcpExceptional, lambda f: f.declaration_date),
    field_ref(CapitalBid, lambda f: f.declaration_date),
    field_ref(FundingReview, lambda f: f.review_date),
    field_ref(ProvisionMap, lambda f: f.date_completed),
    field_ref(EhcpExceptional, lambda f: f.ehcp_date),
    field_ref(FundingReview, lambda f: f.date_allocated),
)


@dataclass(frozen=True)
class Period:
    """Two dates of a form, the start not after the end (and at most a year apart, if said)."""

    start: FieldRef[date]
    end: FieldRef[date]
    at_most_a_year: bool = False


PERIODS = (
    Period(
        field_ref(IpnReferral, lambda f: f.funding_start),
        field_ref(IpnReferral, lambda f: f.funding_end),
        at_most_a_year=True,
    ),
    Period(
        field_ref(ProjectReferral, lambda f: f.project_start),
        field_ref(ProjectReferral, lambda f: f.project_end),
    ),
    Period(
        field_ref(FundingReview, lambda f: f.date_allocated),
        field_ref(FundingReview, lambda f: f.review_date),
    ),
)


def check_dates(form: ExtractedDocument, ctx: RuleContext) -> list[Finding]:
    return [*_consent(form), *_future(form, ctx), *_order_and_length(form)]


def _consent(form: ExtractedDocument) -> Iterator[Finding]:
    where = dict(document=form.filename)
    referral = form.form_as(IpnReferral)
    if referral is None:
        return
    if referral.parent_consent is False:
        yield finding(
            RuleCode.no_consent,
            field=PARENT_CONSENT.id,
            **where,
        )
    given, declared = referral.consent_date, referral.declaration_date
    if given and declared and given < declared - relativedelta(months=12):
        yield finding(
            RuleCode.consent_stale,
            given=uk(given),
            declared=uk(declared),
            field=CONSENT_DATE.id,
            **where,
        )


def _future(form: ExtractedDocument, ctx: RuleContext) -> Iterator[Finding]:
    for field in NOT_AFTER_ARRIVAL:
        day = field.of(form.form)
        if day is not None and day > ctx.received:
            yield finding(
                RuleCode.date_in_future,
                label=field.label,
                day=uk(day),
                arrived=uk(ctx.received),
                field=field.id,
                document=form.filename,
            )


def _order_and_length(form: ExtractedDocument) -> Iterator[Finding]:
    for period in PERIODS:
        start, end = period.start.of(form.form), period.end.of(form.form)
        if start is None or end is None:
            continue
        where = dict(field=period.end.id, document=form.filename)
        if end < start:
            yield finding(
                RuleCode.date_order,
                end_label=period.end.label,
                end=uk(end),
                start_label=period.start.label,
                start=uk(start),
                **where,
            )
        elif period.at_most_a_year and end > start + relativedelta(months=12):
            yield finding(
                RuleCode.funding_period_over_year,
                start=uk(start),
                end=uk(end),
                **where,
            )
