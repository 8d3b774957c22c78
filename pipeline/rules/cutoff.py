"""Which panel meeting hears a request: the first whose cut-off is after the day it arrived."""

from __future__ import annotations

from datetime import date, timedelta

from pipeline.config import Meetings
from pipeline.models import Finding, Meeting
from pipeline.rules.base import finding, uk
from schemas.codes import RuleCode


def cutoff(meeting_day: date, working_days: int) -> date:
    """The cut-off day, counting back Monday to Friday; arriving on it is already too late."""
    day = meeting_day
    remaining = working_days
    while remaining > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def meetings(config: Meetings) -> list[Meeting]:
    return [
        Meeting(day=d, cutoff=cutoff(d, config.cutoff_working_days)) for d in sorted(config.dates)
    ]


def assign_meeting(arrived: date, config: Meetings) -> tuple[Meeting | None, list[Finding]]:
    schedule = meetings(config)
    heard = next((m for m in schedule if arrived < m.cutoff), None)
    missed = next((m for m in schedule if m.cutoff <= arrived < m.day), None)
    findings: list[Finding] = []
    if heard is None:
        findings.append(
            finding(
                RuleCode.no_meeting_scheduled,
                arrived=uk(arrived),
            )
        )
    elif missed is not None:
        findings.append(
            finding(
                RuleCode.late_for_meeting,
                arrived=uk(arrived),
                cutoff=uk(missed.cutoff),
                missed=uk(missed.day),
                heard=uk(heard.day),
            )
        )
    return heard, findings
