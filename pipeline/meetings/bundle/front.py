"""The bundle's opening pages: the cover and the agenda (the finance page is finance_page)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from pipeline.meetings.bundle.agenda import (
    ITEMS,
    REVIEWS,
    AgendaCounts,
    Section,
    agenda_counts,
    cases_phrase,
    reviews_phrase,
)
from pipeline.meetings.bundle.edition import EDITION_NAMES, MARKINGS, Edition
from pipeline.meetings.bundle.layout import Mark, RunningHeader
from pipeline.meetings.bundle.style import (
    FRAME_WIDTH,
    facts_table,
    header_row,
    linked,
    para,
    styles,
    table,
)
from pipeline.meetings.bundle.versions import Issue
from pipeline.meetings.models import MeetingPack
from pipeline.reports.wording import format_date

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
                ("Reviews due", reviews_phrase(counts)),
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
        return f"{note} {reviews_phrase(counts)}."
    if number in counts.by_item:
        return f"{note} {cases_phrase(counts.by_item[number])}."
    return note
