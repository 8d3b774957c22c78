"""Agenda item 5: reviews of funding allocated at earlier meetings."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from pipeline.meetings.bundle.edition import Edition
from pipeline.meetings.bundle.layout import Mark, RunningHeader
from pipeline.meetings.bundle.style import FRAME_WIDTH, header_row, para, styles, table
from pipeline.meetings.models import ReviewDue
from pipeline.reports.wording import format_date, format_money, request_type, uk_time

COLUMNS = (
    "Case ref",
    "Setting",
    "Pupil or project",
    "Agreed",
    "Amount",
    "Spent",
    "Review by",
    "Review form",
)
_WIDTHS = (24 * mm, 30 * mm, 24 * mm, 20 * mm, 18 * mm, 18 * mm, 18 * mm)
WIDTHS = (*_WIDTHS, FRAME_WIDTH - sum(_WIDTHS))


def reviews_due(reviews: Sequence[ReviewDue], edition: Edition) -> list[Flowable]:
    s = styles()
    rows: list[list[Flowable | str]] = [header_row(COLUMNS)]
    rows += [_row(review, edition) for review in sorted(reviews, key=lambda r: r.review_date)]
    if len(rows) == 1:
        rows.append([para("No reviews are due at this meeting.", s.cell), *[""] * 7])
    return [
        RunningHeader("5. Reviews due"),
        PageBreak(),
        Mark("reviews"),
        para("5. Reviews due", s.h1),
        para(
            "Funding agreed at earlier meetings is reviewed within a year of allocation. "
            "The setting sends a Cluster Funding Review form before the meeting; each form "
            "received follows this table, with the award it reviews beside it. A form that "
            "arrives after the cut-off is heard at the next meeting.",
            s.body,
        ),
        table(rows, WIDTHS),
    ]


def _row(review: ReviewDue, edition: Edition) -> list[Flowable | str]:
    s = styles()
    pupil = review.pupil
    if pupil is not None and (pupil.forename or pupil.surname):
        names = " ".join(p for p in (pupil.forename, pupil.surname) if p)
        who = pupil.initials if edition == "panel" else names
    else:
        who = review.project_title or "Not given"
    return [
        para(review.case_ref, s.cell_bold),
        para(review.setting or "Not known", s.cell),
        para(f"{who} ({request_type(review.request_type)})", s.cell),
        para(format_date(review.decided_at), s.cell),
        para(format_money(review.amount_agreed), s.cell_right),
        para(format_money(review.amount_spent) if review.amount_spent is not None else "", s.cell),
        para(format_date(review.review_date), s.cell),
        para(_form(review), s.cell),
    ]


def _form(review: ReviewDue) -> str:
    if review.form_received is None:
        return "Not received"
    return f"Received {format_date(uk_time(review.form_received).date())}"
