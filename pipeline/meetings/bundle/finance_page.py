"""The bundle's first item: the revenue budget, the capital round's fund and caps, funding
under review, and what is not ready (not counted in what is requested)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from pipeline.meetings import finance as money
from pipeline.meetings.bundle.agenda import (
    NOT_READY,
    agenda_counts,
    cases_phrase,
    item_of,
    reviews_phrase,
)
from pipeline.meetings.bundle.layout import Mark, RunningHeader
from pipeline.meetings.bundle.style import (
    ALERT,
    ERROR,
    FRAME_WIDTH,
    facts_table,
    header_row,
    para,
    styles,
    table,
)
from pipeline.meetings.models import Finance, MeetingPack
from pipeline.reports.wording import format_money
from schemas import RuleCode


def finance_page(finance: Finance) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [
        RunningHeader("1. Admin and finance"),
        PageBreak(),
        Mark("finance"),
        para("1. Admin and finance", s.h1),
        para("Revenue budget", s.h2),
        _revenue_table(finance),
    ]
    if finance.budget_exceeded:
        over = format_money(-finance.revenue_remaining_if_all_agreed)
        story.append(
            para(
                f"Budget exceeded ({RuleCode.budget_exceeded}): "
                + RuleCode.budget_exceeded.sentence(over=over),
                s.alert,
            )
        )
    story += [
        para("Capital round (Inclusive Environments Capital Fund)", s.h2),
        _capital_table(finance),
    ]
    story += _capital_fund(finance)
    return story


def _revenue_table(finance: Finance) -> Flowable:
    remaining = finance.revenue_remaining_if_all_agreed
    rows = [
        ("Revenue budget for the year", format_money(finance.revenue_budget)),
        ("Committed by earlier decisions", format_money(finance.revenue_committed)),
        ("Requested on this agenda", format_money(finance.revenue_requested)),
        ("Remaining if all are agreed", format_money(remaining)),
    ]
    built = facts_table(rows, 90 * mm)
    if remaining < 0:
        built.setStyle(
            [("TEXTCOLOR", (1, 3), (1, 3), ALERT), ("BACKGROUND", (1, 3), (1, 3), ERROR)]
        )
    return built


def _capital_table(finance: Finance) -> Flowable:
    s = styles()
    cap = format_money(finance.capital_cap_per_setting)
    rows: list[list[Flowable | str]] = [
        header_row(["Setting", "Committed", "Requested", "Total", f"Cap ({cap})"])
    ]
    highlight: list[tuple[object, ...]] = []
    settings = money.capital_settings(finance)
    for number, setting in enumerate(settings, start=1):
        over = money.capital_over_cap(finance, setting)
        rows.append(
            [
                para(setting, s.cell),
                para(
                    format_money(finance.capital_committed_by_setting.get(setting, money.NOTHING)),
                    s.cell_right,
                ),
                para(
                    format_money(finance.capital_requested_by_setting.get(setting, money.NOTHING)),
                    s.cell_right,
                ),
                para(format_money(money.capital_total(finance, setting)), s.cell_right),
                para("Over the cap" if over else "Within the cap", s.cell_bold if over else s.cell),
            ]
        )
        if over:
            highlight.append(("BACKGROUND", (0, number), (-1, number), ERROR))
    if not settings:
        rows.append([para("No capital committed or requested yet.", s.cell), "", "", "", ""])
    widths = (FRAME_WIDTH - 4 * 27 * mm, 27 * mm, 27 * mm, 27 * mm, 27 * mm)
    return table(rows, widths, extra=highlight)


def _capital_fund(finance: Finance) -> list[Flowable]:
    s = styles()
    remaining = money.capital_remaining_if_all_agreed(finance)
    story: list[Flowable] = [
        Spacer(1, 4 * mm),
        facts_table(
            [
                ("Capital fund for the round", format_money(finance.capital_fund)),
                ("Committed by earlier decisions", format_money(money.capital_committed(finance))),
                ("Requested on this agenda", format_money(money.capital_requested(finance))),
                ("Remaining if all are agreed", format_money(remaining)),
            ],
            90 * mm,
        ),
    ]
    if remaining < 0:
        story.append(
            para(
                f"The capital bids are {format_money(-remaining)} more than is left of the fund.",
                s.alert,
            )
        )
    story.append(
        para(
            f"No setting may receive more than {format_money(finance.capital_cap_per_setting)} "
            "in the round, all bids together (over_setting_cap).",
            s.small,
        )
    )
    return story


def reviews_and_not_ready(pack: MeetingPack) -> list[Flowable]:
    """The finance page's last part: funding under review, and what is not counted."""
    s = styles()
    counts = agenda_counts(pack)
    agreed = sum((r.amount_agreed for r in pack.reviews_due), money.NOTHING)
    spent = sum((r.amount_spent or money.NOTHING for r in pack.reviews_due), money.NOTHING)
    waiting = sum(
        (c.amount_requested or money.NOTHING for c in pack.cases if item_of(c) == NOT_READY),
        money.NOTHING,
    )
    return [
        para("Funding under review", s.h2),
        facts_table(
            [
                ("Reviews due", reviews_phrase(counts)),
                ("Agreed at earlier meetings", format_money(agreed)),
                ("Spent to date, as the review forms give it", format_money(spent)),
                (
                    f"Not ready ({cases_phrase(counts.not_ready)})",
                    f"{format_money(waiting)} requested",
                ),
            ],
            90 * mm,
        ),
        para(
            "Cases not ready have an error to put right before the panel can decide; their "
            "requests are not in 'Requested on this agenda'.",
            s.small,
        ),
    ]
