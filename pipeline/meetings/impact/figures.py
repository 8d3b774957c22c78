"""The impact page's figures: this meeting, the year to date, and the change since referral
for the cases reviewed so far."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from pipeline.models import Frozen
from pipeline.round_records import ClusterCount, ClusterMeasure

if TYPE_CHECKING:  # imported where the figures are made: a second of every run's start-up
    import pandas as pd


class Measure(Frozen):
    label: str
    this_meeting: float | None
    year_to_date: float | None
    percent: bool = False  # a mean attendance, not a count


class ReviewedCase(Frozen):
    case_ref: str
    attendance_at_referral: float | None
    attendance_at_review: float | None
    suspensions_at_referral: float | None
    suspensions_at_review: float | None

    @property
    def attendance_change(self) -> float | None:
        if self.attendance_at_referral is None or self.attendance_at_review is None:
            return None
        return round(self.attendance_at_review - self.attendance_at_referral, 1)

    @property
    def suspensions_change(self) -> float | None:
        if self.suspensions_at_referral is None or self.suspensions_at_review is None:
            return None
        return self.suspensions_at_review - self.suspensions_at_referral


class Impact(Frozen):
    day: date
    year_starts: date
    measures: tuple[Measure, ...]
    reviewed: tuple[ReviewedCase, ...]


def year_start(day: date) -> date:
    """1 September of the academic year ``day`` falls in."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def impact_figures(
    day: date,
    since: date | None,
    on_agenda: Sequence[str],
    referrals: pd.DataFrame,
    reviews: pd.DataFrame,
    counts: Sequence[ClusterCount],
) -> Impact:
    """The figures as they stand on ``day``: "this meeting" is the cases on the agenda (and
    the admin's counts dated after ``since``, the previous meeting), "year to date" everything
    received or counted from 1 September up to ``day``."""
    import pandas as pd

    starts = year_start(day)
    in_year = referrals[(referrals["received"] >= starts) & (referrals["received"] <= day)]
    here = referrals[referrals["case_ref"].isin(list(on_agenda))]
    reviewed = reviews[(reviews["received"] >= starts) & (reviews["received"] <= day)]
    admin = pd.DataFrame(
        [(c.measure.value, c.count, c.on) for c in counts], columns=["measure", "count", "on"]
    )
    admin_year = admin[(admin["on"] >= starts) & (admin["on"] <= day)]
    admin_here = admin_year[admin_year["on"] > since] if since else admin_year
    ehcna_year = int(in_year["ehcna"].sum()) + int(reviewed["ehcna"].sum())
    measures = (
        Measure(label="Pupils referred (IPN)", this_meeting=len(here), year_to_date=len(in_year)),
        Measure(
            label="Mean attendance at referral (%)",
            this_meeting=_mean(here["attendance"]),
            year_to_date=_mean(in_year["attendance"]),
            percent=True,
        ),
        Measure(
            label="Suspensions this year, at referral",
            this_meeting=float(here["suspensions"].sum()),
            year_to_date=float(in_year["suspensions"].sum()),
        ),
        Measure(
            label="At risk of permanent exclusion, at referral",
            this_meeting=int(here["at_risk"].sum()),
            year_to_date=int(in_year["at_risk"].sum()),
        ),
        Measure(
            label="EHC needs assessments (forms: in progress at referral, asked for at review)",
            this_meeting=int(here["ehcna"].sum()),
            year_to_date=ehcna_year,
        ),
        *(_counted(measure, admin_here, admin_year) for measure in ClusterMeasure),
    )
    return Impact(
        day=day, year_starts=starts, measures=measures, reviewed=_reviewed(referrals, reviewed)
    )


def _counted(measure: ClusterMeasure, here: pd.DataFrame, year: pd.DataFrame) -> Measure:
    return Measure(
        label=f"{measure.label} (counted by the admin)",
        this_meeting=int(here[here["measure"] == measure.value]["count"].sum()),
        year_to_date=int(year[year["measure"] == measure.value]["count"].sum()),
    )


def _mean(values: pd.Series) -> float | None:
    known = values.dropna()
    return round(float(known.mean()), 1) if len(known) else None


def _reviewed(referrals: pd.DataFrame, reviews: pd.DataFrame) -> tuple[ReviewedCase, ...]:
    """Each reviewed case, its baseline from the referral (the review's "before" when the
    case has no referral in the register) and its outcome from the review."""
    joined = reviews.merge(referrals, on="case_ref", how="left", suffixes=("", "_referral"))
    return tuple(
        ReviewedCase(
            case_ref=str(row["case_ref"]),
            attendance_at_referral=_first(row.get("attendance"), row["attendance_before"]),
            attendance_at_review=_first(row["attendance_after"]),
            suspensions_at_referral=_first(row.get("suspensions"), row["suspensions_before"]),
            suspensions_at_review=_first(row["suspensions_after"]),
        )
        for _, row in joined.sort_values("case_ref").iterrows()
    )


def _first(*values: object) -> float | None:
    import pandas as pd

    for value in values:
        if value is not None and not pd.isna(value):  # type: ignore[call-overload]
            return float(value)  # type: ignore[arg-type]
    return None
