"""The bundle's opening pages: the cover, the agenda and the finance page (agenda item 1)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from pipeline.meetings import finance as money
from pipeline.meetings.bundle.agenda import (
    ITEMS,
    NOT_READY,
    REVIEWS,
    AgendaCounts,
    Section,
    agenda_counts,
    item_of,
)
from pipeline.meetings.bundle.edition import EDITION_NAMES, MARKINGS, Edition
from pipeline.meetings.bundle.layout import Mark, RunningHeader
from pipeline.meetings.bundle.style import (
    ALERT,
    ERROR,
    FRAME_WIDTH,
    facts_table,
    header_row,
    linked,
    para,
    styles,
    table,
)
from pipeline.meetings.bundle.versions import Issue
from pipeline.meetings.models import Finance, MeetingPack
from pipeline.reports.wording import format_date, format_money
from schemas import RuleCode

PANEL_REMOVES = (
    "What this edition removes: pupils' and parents' or carers' names (a pupil is named by "
    "initials and case reference), dates of birth, UPNs, ULNs and NHS numbers, home "
    "addresses and postcodes, phone numbers and personal email addresses, wherever they "
    "appear: in the forms, the narratives, the provision maps and the supporting reports. "
    "Supporting reports are redacted copies (a redacted page is a picture of the original "
    "with the details boxed over, and searchable text); a report that could not be redacted "
    "safely is withheld and its line says why. Scripts, actions, attachments and form fields "
    "are removed from every document in both editions."
)


def cover(pack: MeetingPack, edition: Edition, issue: Issue) -> list[Flowable]:
    s = styles()
    when = format_date(pack.meeting.day)
    counts = agenda_counts(pack)
    return [
        Mark("cover"),
        Spacer(1, 40 * mm),
        para(pack.cluster, s.subtitle),
        para("Cluster panel meeting", s.title),
        para(f"{when}, {pack.starts} to {pack.ends}", s.subtitle),
        para(pack.venue, s.subtitle),
        Spacer(1, 12 * mm),
        facts_table(
            [
                ("Edition", EDITION_NAMES[edition]),
                ("Version", issue.label),
                ("Cases for decision", str(counts.for_decision)),
                ("Reviews due", _reviews(counts)),
                ("Not ready", str(counts.not_ready)),
                ("Referral cut-off", format_date(pack.meeting.cutoff)),
            ]
        ),
        *_changes(issue),
        Spacer(1, 10 * mm),
        para(MARKINGS[edition], s.marking),
        *([para(PANEL_REMOVES, s.small)] if edition == "panel" else []),
        para(
            "Handle these papers in line with the council's data protection policy. "
            "Do not forward them outside the cluster panel, and delete downloaded copies "
            "once the decisions are recorded.",
            s.small,
        ),
    ]


def _changes(issue: Issue) -> list[Flowable]:
    """What the latest versions changed (the cover stays one page: older ones are in their
    Late additions sections)."""
    s = styles()
    shown = [para(f"What changed: {change}", s.body) for change in issue.changes[-2:]]
    if len(issue.changes) > 2:
        shown.append(para("Earlier changes are listed in their Late additions sections.", s.small))
    return shown


def agenda(pack: MeetingPack, sections: list[Section]) -> list[Flowable]:
    s = styles()
    counts = agenda_counts(pack)
    rows: list[list[Flowable | str]] = [header_row(["Item", "Business", "Papers"])]
    for number, title, note in ITEMS:
        papers = _papers(number, note, counts)
        target = item_target(number, sections)
        rows.append(
            [
                linked(str(number), target, s.cell_bold),
                linked(title, target, s.cell_bold),
                para(papers, s.cell),
            ]
        )
    return [
        RunningHeader("Agenda"),
        PageBreak(),
        Mark("agenda"),
        para("Agenda", s.h1),
        table(rows, (14 * mm, 55 * mm, FRAME_WIDTH - 69 * mm)),
        Mark("item-2"),
        para("2. Cluster-wide issues", s.h2),
        para(
            "Settings raise issues affecting the whole cluster at the meeting. "
            "There are no papers for this item.",
            s.body,
        ),
    ]


def item_target(number: int, sections: list[Section]) -> str:
    """The mark an agenda item's link opens: its page, or the index for an item with no cases."""
    fixed = {1: "finance", 2: "item-2", 5: "reviews"}
    if number in fixed:
        return fixed[number]
    cases = next((s.cases for s in sections if s.number == number), ())
    return f"case:{cases[0].case_ref}" if cases else "index"


def _papers(number: int, note: str, counts: AgendaCounts) -> str:
    if number == REVIEWS:
        return f"{note} {_reviews(counts)}."
    if number in counts.by_item:
        return f"{note} {_cases(counts.by_item[number])}."
    return note


def _cases(count: int) -> str:
    return f"{count} case{'s' if count != 1 else ''}"


def _reviews(counts: AgendaCounts) -> str:
    due = f"{counts.reviews_due} review{'s' if counts.reviews_due != 1 else ''} due"
    return f"{due}, {counts.review_forms} with the review form"


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
                ("Reviews due", _reviews(counts)),
                ("Agreed at earlier meetings", format_money(agreed)),
                ("Spent to date, as the review forms give it", format_money(spent)),
                (f"Not ready ({_cases(counts.not_ready)})", f"{format_money(waiting)} requested"),
            ],
            90 * mm,
        ),
        para(
            "Cases not ready have an error to put right before the panel can decide; their "
            "requests are not in 'Requested on this agenda'.",
            s.small,
        ),
    ]
