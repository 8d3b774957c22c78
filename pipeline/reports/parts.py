"""What the reports keep of each submission, by the digest of its stored record.

In watch mode both reports are written again after every email; a record that has not
changed is neither typed nor rendered again, and the submissions themselves are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from pipeline.cases.impact_values import ImpactValues, impact_values
from pipeline.context import Context
from pipeline.models import Submission
from pipeline.reports.html_report import HtmlPart, HtmlReport
from pipeline.reports.tracker import TrackerPart, TrackerRows
from pipeline.reports.view import SortStub, sort_stub


@dataclass(frozen=True)
class ReportParts:
    stub: SortStub  # what both reports sort by
    html: HtmlPart
    tracker: TrackerPart
    impact: ImpactValues  # the tracker's Impact sheet

    @classmethod
    def of(cls, submission: Submission) -> ReportParts:
        return cls(
            sort_stub(submission),
            HtmlReport.part(submission),
            TrackerRows.part(submission),
            impact_values(submission),
        )


ReportCache = dict[bytes, ReportParts]  # by the digest of the stored record


def report_cache(ctx: Context) -> ReportCache:
    """The report parts publishing left in ``ctx`` for the next writing of the reports."""
    return cast(ReportCache, ctx.published)
