"""The bundle's impact page: the seeds' measures for this meeting and the year to date, the
change since referral for the cases reviewed, and a chart of the year's counts."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from pipeline.meetings.bundle.layout import Mark, RunningHeader
from pipeline.meetings.bundle.style import FRAME_WIDTH, NAVY, header_row, para, styles, table
from pipeline.meetings.impact.figures import Impact, Measure, ReviewedCase
from pipeline.reports.wording import format_date

HEADING = "Impact measures"


def impact_page(impact: Impact | None) -> list[Flowable]:
    if impact is None:
        return []
    s = styles()
    story: list[Flowable] = [
        RunningHeader(HEADING),
        PageBreak(),
        Mark("impact"),
        para(HEADING, s.h1),
        para(
            f"This meeting: the pupils on this agenda and the admin's counts since the last "
            f"meeting. Year to date: {format_date(impact.year_starts)} to "
            f"{format_date(impact.day)}.",
            s.small,
        ),
        _measures(impact.measures),
        para("Change since referral (cases reviewed this year)", s.h2),
        _reviewed(impact.reviewed),
        para("Year to date", s.h2),
        _chart(impact.measures),
    ]
    return story


def _measures(measures: tuple[Measure, ...]) -> Flowable:
    s = styles()
    rows: list[list[Flowable | str]] = [header_row(["Measure", "This meeting", "Year to date"])]
    for m in measures:
        rows.append(
            [
                para(m.label, s.cell),
                para(_value(m.this_meeting, m.percent), s.cell_right),
                para(_value(m.year_to_date, m.percent), s.cell_right),
            ]
        )
    return table(rows, (FRAME_WIDTH - 60 * mm, 30 * mm, 30 * mm))


def _reviewed(cases: tuple[ReviewedCase, ...]) -> Flowable:
    s = styles()
    if not cases:
        return para("No funding reviews have come in yet this year.", s.body)
    rows: list[list[Flowable | str]] = [
        header_row(["Case", "Attendance: referral → review", "Change", "Suspensions", "Change"])
    ]
    for c in cases:
        rows.append(
            [
                para(c.case_ref, s.cell),
                para(
                    f"{_value(c.attendance_at_referral, True)} → "
                    f"{_value(c.attendance_at_review, True)}",
                    s.cell,
                ),
                para(_signed(c.attendance_change, " points"), s.cell_right),
                para(
                    f"{_value(c.suspensions_at_referral)} → {_value(c.suspensions_at_review)}",
                    s.cell,
                ),
                para(_signed(c.suspensions_change), s.cell_right),
            ]
        )
    return table(rows, (32 * mm, FRAME_WIDTH - 124 * mm, 30 * mm, 32 * mm, 30 * mm))


def _chart(measures: tuple[Measure, ...]) -> Drawing:
    counts = [m for m in measures if not m.percent]
    drawing = Drawing(FRAME_WIDTH, 70 * mm)
    chart = HorizontalBarChart()
    chart.x, chart.y = 80 * mm, 8 * mm
    chart.width, chart.height = FRAME_WIDTH - 90 * mm, 58 * mm
    chart.data = [[m.year_to_date or 0 for m in counts]]
    chart.categoryAxis.categoryNames = [_short(m.label) for m in counts]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = NAVY
    drawing.add(chart)
    drawing.add(String(0, 0, "Counts, year to date", fontSize=7))
    return drawing


def _short(label: str) -> str:
    text = label.split(" (")[0]
    return text if len(text) <= 48 else text[:45] + "..."


def _value(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "-"
    if percent:
        return f"{value:.1f}%"
    return f"{value:g}"


def _signed(value: float | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:+g}{unit}"
