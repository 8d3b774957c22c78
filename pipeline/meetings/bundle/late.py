"""A later version of an issued bundle: its pages kept, what arrived since added at the end.

Every page of the issued version stays where it was (page numbers and the index still hold);
only the cover is redrawn, with the new version, its date and what changed, and the feet are
stamped again with the new total. The "Late additions" section lists each late case with a
link to its pages, then each case's summary, forms, provision map and supporting documents as
in the body of the bundle. A late document is redacted in the panel edition with everything
known about its case, not only what the late document says.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pikepdf
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from pipeline.atomic import write_atomic
from pipeline.config import Config
from pipeline.meetings.bundle import assemble
from pipeline.meetings.bundle.agenda import Section, case_sections
from pipeline.meetings.bundle.assemble import Outline
from pipeline.meetings.bundle.bookmarks import case_outline
from pipeline.meetings.bundle.build import (
    Load,
    case_pages,
    convert_originals,
    merge,
    page_numbers,
)
from pipeline.meetings.bundle.case_pages import summary
from pipeline.meetings.bundle.case_ranges import case_page_ranges
from pipeline.meetings.bundle.edition import (
    EDITION_NAMES,
    EDITIONS,
    FOOTER_MARKINGS,
    Edition,
    View,
    view_of,
)
from pipeline.meetings.bundle.form_pages import forms, provision_maps
from pipeline.meetings.bundle.front import cover
from pipeline.meetings.bundle.index import page_cell, who_short
from pipeline.meetings.bundle.layout import Layout, Mark, render
from pipeline.meetings.bundle.stamps import remove_feet, saved, stamp_feet, stamp_heads
from pipeline.meetings.bundle.style import FRAME_WIDTH, header_row, linked, para, styles, table
from pipeline.meetings.bundle.supporting import Supporting, supporting_documents
from pipeline.meetings.bundle.versions import (
    Issue,
    Late,
    late_items,
    newly_withdrawn,
    next_issue,
    off_agenda,
    write_issued,
)
from pipeline.meetings.models import MeetingPack
from pipeline.reports.wording import format_date

logger = logging.getLogger(__name__)
SECTION = "Late additions"
_COLUMNS = ("Case ref", "Pupil or project", "What arrived", "Page")
_WIDTHS = (26 * mm, 30 * mm, FRAME_WIDTH - 72 * mm, 16 * mm)


@dataclass(frozen=True)
class _Part:
    pack: MeetingPack
    edition: Edition
    late: list[Late]
    issue: Issue
    views: dict[str, View]
    supporting: dict[str, list[Supporting]]
    first_page: int  # the 1-based bundle page the section starts on


def add_late(
    pack: MeetingPack, config: Config, load: Load, out_dir: Path, issued: Issue, today: date
) -> None:
    """The next version of both editions, or nothing when nothing has arrived since."""
    late = late_items(pack, issued)
    if not late and not newly_withdrawn(pack, issued):
        logger.info("nothing changed since version %d; the bundles are unchanged", issued.version)
        return
    issue = next_issue(issued, pack, late, today)
    converted = convert_originals([item.case for item in late], load)
    for edition in EDITIONS:
        _add_to_edition(pack, config, load, out_dir, edition, late, issue, converted)
    write_issued(out_dir, issue)
    logger.info("bundle version %d: %d late case(s) added at the end", issue.version, len(late))


def _add_to_edition(
    pack: MeetingPack,
    config: Config,
    load: Load,
    out_dir: Path,
    edition: Edition,
    late: list[Late],
    issue: Issue,
    converted: Mapping[str, bytes] | None,
) -> None:
    path = out_dir / f"bundle-{edition}.pdf"
    with ExitStack() as open_files:  # copied pages are read from their files when saved
        bundle = open_files.enter_context(pikepdf.open(io.BytesIO(path.read_bytes())))
        remove_feet(bundle)
        full = {case.case_ref: case for case in pack.cases}
        views = {item.case.case_ref: view_of(edition, full[item.case.case_ref]) for item in late}
        supporting = {
            item.case.case_ref: supporting_documents(
                item.case, views[item.case.case_ref], load, converted
            )
            for item in late
        }
        part = _Part(pack, edition, late, issue, views, supporting, len(bundle.pages) + 1)
        new_cover = open_files.enter_context(pikepdf.open(io.BytesIO(_cover(part))))
        _replace_cover(bundle, new_cover)
        notices = _not_for_decision(bundle, off_agenda(pack, issue))
        if late:
            data, outline, heads = _late_pages(part, config)
            added = open_files.enter_context(pikepdf.open(io.BytesIO(data)))
            bundle.pages.extend(added.pages)
            stamp_heads(bundle, {part.first_page - 1 + n: text for n, text in heads.items()})
            _bookmark(bundle, outline, part.first_page - 1)
        stamp_feet(bundle, FOOTER_MARKINGS[edition], notices)
        write_atomic(path, saved(bundle))


def _not_for_decision(bundle: pikepdf.Pdf, refs: list[str]) -> dict[int, str]:
    """A notice on every issued page of each case that has left the agenda since."""
    ranges = case_page_ranges(bundle)
    return {
        page: f"Not for decision at this meeting: {ref} has left the agenda since this was issued."
        for ref in refs
        for page in ranges.get(ref, range(0))
    }


def _header(part: _Part) -> str:
    when = format_date(part.pack.meeting.day)
    return f"{part.pack.cluster} · Panel meeting {when} · {EDITION_NAMES[part.edition]}"


def _cover(part: _Part) -> bytes:
    header = _header(part)
    return render(cover(part.pack, part.edition, part.issue), title=header, left_header=header).pdf


def _replace_cover(bundle: pikepdf.Pdf, new: pikepdf.Pdf) -> None:
    """The first page drawn again; the page itself stays (bookmarks to it still open it)."""
    page, drawn = bundle.pages[0].obj, new.pages[0].obj
    page.Contents = bundle.copy_foreign(new.make_indirect(drawn.Contents))
    page.Resources = bundle.copy_foreign(new.make_indirect(drawn.Resources))


def _late_pages(part: _Part, config: Config) -> tuple[bytes, Outline, dict[int, str]]:
    layout = _lay_out(part)
    cases = [item.case for item in part.late]
    bundle = merge(layout, cases, part.views, part.supporting)
    bundle.put_links_back()

    def at(key: str) -> int:
        return bundle.own_pages[layout.marks[key]]

    children = [
        case_outline(case, part.views[case.case_ref], part.supporting[case.case_ref], at, bundle)
        for case in cases
    ]
    outline = Outline(f"{SECTION} (version {part.issue.version})", 0, children)
    data = assemble.to_bytes(bundle, _header(part), config.cluster.name)
    return data, outline, bundle.headers


def _lay_out(part: _Part) -> Layout:
    """Laid out, the section's page numbers drawn once its cases have landed."""
    counted = [Section(0, SECTION, tuple(item.case for item in part.late))]
    header = _header(part)

    def numbers(marks: Mapping[str, int]) -> dict[str, str]:
        return page_numbers(case_pages(marks, counted, part.supporting, first=part.first_page))

    return render(_story(part), title=header, left_header=header, running=SECTION, later=numbers)


def _story(part: _Part) -> list[Flowable]:
    s = styles()
    section_of = {c.case_ref: sec for sec in case_sections(part.pack) for c in sec.cases}
    story: list[Flowable] = [
        Mark("late"),
        para(f"{SECTION}: version {part.issue.version}", s.h1),
        para(
            f"What arrived after the bundle was issued, added by the admin on "
            f"{format_date(part.issue.issued)}. The pages before this section are as issued; "
            "page numbers continue from them.",
            s.body,
        ),
        _index(part),
    ]
    for item in part.late:
        case, view = item.case, part.views[item.case.case_ref]
        story += summary(case, view, section_of[case.case_ref], part.supporting[case.case_ref])
        story += [*forms(case, view), *provision_maps(case, view)]
    return story


def _index(part: _Part) -> Flowable:
    s = styles()
    rows: list[list[Flowable | str]] = [
        header_row(["Case ref", "Pupil or project", "What", "Page"])
    ]
    for item in part.late:
        case, view = item.case, part.views[item.case.case_ref]
        target = f"case:{case.case_ref}"
        names = ", ".join(view.text(d.filename) for d in case.documents)
        what = item.words if item.new_case else f"{item.words}: {names}"
        rows.append(
            [
                linked(case.case_ref, target, s.cell_bold),
                para(who_short(case, view), s.cell),
                para(what, s.cell),
                page_cell(case.case_ref),
            ]
        )
    return table(rows, _WIDTHS)


def _bookmark(bundle: pikepdf.Pdf, entry: Outline, offset: int) -> None:
    with bundle.open_outline() as outline:
        outline.root.append(_item(entry, offset))


def _item(entry: Outline, offset: int) -> pikepdf.OutlineItem:
    item = pikepdf.OutlineItem(entry.title, entry.page + offset)
    item.children.extend(_item(child, offset) for child in entry.children)
    return item
