"""School-calendar arithmetic for sample referrals: year groups, cut-offs, arrival times.

English year groups follow the 31 August cut-off: a child is in Reception in the academic year
(1 September to 31 August) in which they turn five. A meeting's cut-off is N working days
(Monday to Friday) before it; a referral arriving on the cut-off day itself is too late.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from pipeline.config import Config
from pipeline.rules.cutoff import cutoff as meeting_cutoff

LONDON = ZoneInfo("Europe/London")
SAMPLE_YEAR_START = date(2025, 9, 1)
SAMPLE_YEAR_END = date(2026, 8, 31)
# The youngest and oldest year a setting of each phase teaches, as year_index counts them.
YEARS_BY_PHASE: dict[str, tuple[int, int]] = {
    "nursery": (-1, 0),
    "infant": (0, 2),
    "junior": (3, 6),
    "primary": (0, 6),
    "secondary": (7, 11),
    "all_through": (0, 11),
    "special": (0, 11),
    "alternative_provision": (5, 11),
    "further_education": (10, 11),
}


def academic_start_year(day: date) -> int:
    """2025 for any day from 1 September 2025 to 31 August 2026."""
    return day.year if day.month >= 9 else day.year - 1


def year_index(year_group: str) -> int:
    """Nursery -1, Reception 0, Year n n."""
    if year_group == "Nursery":
        return -1
    if year_group == "Reception":
        return 0
    return int(year_group.removeprefix("Year "))


def year_name(index: int) -> str:
    if index == -1:
        return "Nursery"
    if index == 0:
        return "Reception"
    return f"Year {index}"


def year_group_on(date_of_birth: date, day: date) -> int:
    """The year index a child born on date_of_birth is in on day (31 August cut-off)."""
    cohort = academic_start_year(date_of_birth)  # born Sep..Aug of this school year
    return academic_start_year(day) - cohort - 5


def birth_date_for(rng: random.Random, year_group: str, day: date) -> date:
    """A date of birth that puts a child in year_group on day."""
    first = date(academic_start_year(day) - 5 - year_index(year_group), 9, 1)
    return first + timedelta(days=rng.randint(0, 364))


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def add_months(day: date, months: int) -> date:
    """The same day of the month, months later (clamped to the month's end)."""
    return day + relativedelta(months=months)


def cutoff(meeting: date, config: Config) -> date:
    return meeting_cutoff(meeting, config.meetings.cutoff_working_days)


def weekday_between(rng: random.Random, first: date, last: date) -> date:
    """A random Monday-to-Friday date in [first, last], avoiding the Christmas closure."""
    weekdays = _school_days(first, last)
    if not weekdays:
        raise ValueError(f"no weekday between {first} and {last}")
    return rng.choice(weekdays)


def _school_days(first: date, last: date) -> list[date]:
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() < 5 and not _christmas(d)]


def _christmas(day: date) -> bool:
    return (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 4)


def during_school_day(rng: random.Random, day: date) -> datetime:
    """A time between 07:45 and 18:00 on day, in Europe/London."""
    minutes = rng.randint(7 * 60 + 45, 18 * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60, rng.randint(0, 59)), LONDON)


def _sample_year_meetings(config: Config) -> list[date]:
    listed = sorted(config.meetings.dates)
    in_year = [d for d in listed if SAMPLE_YEAR_START <= d <= SAMPLE_YEAR_END]
    return in_year or listed


def in_good_time(rng: random.Random, config: Config) -> datetime:
    """An arrival in 2025/26, after one meeting and well before the next meeting's cut-off."""
    meetings = _sample_year_meetings(config)
    if not meetings:
        raise ValueError("no meetings configured: cannot place a referral in good time")
    windows: list[tuple[date, date]] = []
    for i, meeting in enumerate(meetings):
        first = (
            meetings[i - 1] + timedelta(days=1)
            if i
            else max(meeting - timedelta(days=60), SAMPLE_YEAR_START + timedelta(days=7))
        )
        last = cutoff(meeting, config) - timedelta(days=3)
        if _school_days(first, last):
            windows.append((first, last))
    first, last = rng.choice(windows)
    return during_school_day(rng, weekday_between(rng, first, last))


def late_for_a_meeting(rng: random.Random, config: Config) -> datetime:
    """An arrival on a weekday from a meeting's cut-off day (inclusive) to the day before it."""
    meetings = _sample_year_meetings(config)[:-1] or _sample_year_meetings(config)
    meeting = rng.choice(meetings)
    day = weekday_between(rng, cutoff(meeting, config), meeting - timedelta(days=1))
    return during_school_day(rng, day)


def after_last_meeting(rng: random.Random, config: Config) -> datetime:
    """An arrival on the second Monday after the last configured meeting (2026-07-20)."""
    last = max(config.meetings.dates)
    next_monday = last + timedelta(days=7 - last.weekday())
    return during_school_day(rng, next_monday + timedelta(days=7))
