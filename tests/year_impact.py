"""The impact figures the simulated year should show, worked out from what it fed in: each
referral's baseline, each review's outcome and the admin's dated counts. Shares nothing with
the product's pandas tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from testkit.samples.case import SampleReferral

YEAR_STARTS = date(2025, 9, 1)
REFERRED = "Pupils referred (IPN)"
ATTENDANCE = "Mean attendance at referral (%)"
SUSPENSIONS = "Suspensions this year, at referral"
AT_RISK = "At risk of permanent exclusion, at referral"
EHCNA = "EHC needs assessments (forms: in progress at referral, asked for at review)"
COUNTED = {
    "isp_moves": "Children moving into independent specialist provision (ISP)",
    "special_school_moves": "Children moving from mainstream to special school",
    "ehcna_requests": "Requests for an EHC needs assessment",
}
# What the admin enters with `pipeline impact count` (no form carries it).
COUNTS = (
    ("isp_moves", 1, date(2025, 11, 3)),
    ("special_school_moves", 2, date(2025, 11, 20)),
    ("ehcna_requests", 3, date(2026, 1, 15)),
    ("isp_moves", 1, date(2026, 4, 1)),
    ("ehcna_requests", 2, date(2026, 6, 2)),
)


@dataclass(frozen=True)
class Baseline:
    received: date
    attendance: float
    suspensions: int
    at_risk: bool
    ehcna: bool


@dataclass(frozen=True)
class Outcome:
    received: date
    attendance: float | None
    suspensions: int | None
    ehcna: bool


Figures = dict[str, tuple[float | None, float | None]]  # label -> (this meeting, year to date)


def baseline_of(referral: SampleReferral, received: date) -> Baseline:
    v = referral.values
    return Baseline(
        received=received,
        attendance=float(str(v["attendance_percent"])),
        suspensions=int(str(v["suspensions_this_year"])),
        at_risk=bool(v["at_risk_of_exclusion"]),
        ehcna=v["sen_status"] == "EHC needs assessment in progress",
    )


def outcome_of(values: Mapping[str, object], received: date) -> Outcome:
    after, suspended = values["attendance_after"], values["suspensions_after"]
    return Outcome(
        received=received,
        attendance=float(str(after)) if after is not None else None,
        suspensions=int(str(suspended)) if suspended is not None else None,
        ehcna=values["recommendation"] == "Request EHC needs assessment",
    )


def expected_figures(
    day: date,
    previous: date | None,
    listed: Sequence[str],
    baselines: Mapping[str, Baseline],
    outcomes: Mapping[str, Outcome],
    *,
    through: date | None = None,
) -> Figures:
    """The measures on ``day``: this meeting's pupils are the referrals listed at it, the
    year to date what arrived by ``through`` (the meeting's day unless the figures were made
    before it). The mean attendance is exact, not rounded."""
    through = through or day
    year = [b for b in baselines.values() if YEAR_STARTS <= b.received <= through]
    here = [baselines[ref] for ref in listed if ref in baselines]
    reviewed = [o for o in outcomes.values() if YEAR_STARTS <= o.received <= through]
    figures: Figures = {
        REFERRED: (len(here), len(year)),
        ATTENDANCE: (_mean(here), _mean(year)),
        SUSPENSIONS: (sum(b.suspensions for b in here), sum(b.suspensions for b in year)),
        AT_RISK: (sum(b.at_risk for b in here), sum(b.at_risk for b in year)),
        EHCNA: (
            sum(b.ehcna for b in here),
            sum(b.ehcna for b in year) + sum(o.ehcna for o in reviewed),
        ),
    }
    for measure, label in COUNTED.items():
        dated = [(n, on) for m, n, on in COUNTS if m == measure and YEAR_STARTS <= on <= through]
        since = sum(n for n, on in dated if previous is None or on > previous)
        figures[f"{label} (counted by the admin)"] = (since, sum(n for n, _ in dated))
    return figures


def expected_changes(
    day: date, baselines: Mapping[str, Baseline], outcomes: Mapping[str, Outcome]
) -> dict[str, tuple[float | None, float | None]]:
    """Each case reviewed by ``day``: (attendance change in points, suspensions change)."""
    changes = {}
    for ref, outcome in outcomes.items():
        if not YEAR_STARTS <= outcome.received <= day:
            continue
        base = baselines[ref]
        changes[ref] = (
            round(outcome.attendance - base.attendance, 1)
            if outcome.attendance is not None
            else None,
            outcome.suspensions - base.suspensions if outcome.suspensions is not None else None,
        )
    return changes


def _mean(baselines: Sequence[Baseline]) -> float | None:
    if not baselines:
        return None
    exact = sum((Decimal(str(b.attendance)) for b in baselines), Decimal(0)) / len(baselines)
    return float(exact)
