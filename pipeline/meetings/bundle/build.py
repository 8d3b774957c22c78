"""The meeting bundle (version 1): lay out, count, number, merge, bookmark, link, stamp, write.

The index needs the page each case starts on, and that depends on how many pages the
supporting PDFs merged before it have. The bundle's own pages are laid out once; the index's
numbers are drawn when the layout is done (``layout.LaterText``), from where each case landed
and the supporting pages merged before it. The bookmarks are ``bookmarks.py``'s.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from reportlab.platypus import Flowable

from pipeline.atomic import write_atomic
from pipeline.config import Config
from pipeline.meetings.bundle import assemble
from pipeline.meetings.bundle.agenda import Section, case_sections
from pipeline.meetings.bundle.assemble import Bundle
from pipeline.meetings.bundle.background import agenda_background
from pipeline.meetings.bundle.bookmarks import outline
from pipeline.meetings.bundle.capital_round import capital_page
from pipeline.meetings.bundle.case_pages import summary
from pipeline.meetings.bundle.edition import (
    EDITION_NAMES,
    FOOTER_MARKINGS,
    Edition,
    View,
    view_of,
)
from pipeline.meetings.bundle.finance_page import finance_page, reviews_and_not_ready
from pipeline.meetings.bundle.form_pages import forms, provision_maps
from pipeline.meetings.bundle.front import agenda, cover
from pipeline.meetings.bundle.impact import impact_page
from pipeline.meetings.bundle.index import index_pages, page_key
from pipeline.meetings.bundle.layout import Layout, render
from pipeline.meetings.bundle.reviews import reviews_due
from pipeline.meetings.bundle.stamps import with_stamps
from pipeline.meetings.bundle.supporting import (
    Supporting,
    originals_to_convert,
    supporting_documents,
)
from pipeline.meetings.bundle.versions import Issue, first_issue
from pipeline.meetings.convert import ConversionError, convert_to_pdf, libreoffice
from pipeline.meetings.models import CaseFile, MeetingPack
from pipeline.reports.wording import format_date

logger = logging.getLogger(__name__)
Load = Callable[[str], bytes]


def build_bundle(
    pack: MeetingPack, config: Config, load: Load, out_dir: Path, *, edition: Edition
) -> Path:
    """Write ``out_dir/bundle-panel.pdf`` or ``out_dir/bundle-full.pdf`` (version 1, today)."""
    converted = convert_originals(pack.cases, load)
    return build_edition(
        pack, config, load, out_dir, edition, converted, first_issue(pack, date.today())
    )


def convert_originals(cases: Sequence[CaseFile], load: Load) -> dict[str, bytes] | None:
    """PDFs of the Word/Excel supporting documents by sha256; None when LibreOffice is absent."""
    if libreoffice() is None:
        return None
    originals = originals_to_convert(cases, load)
    try:
        return convert_to_pdf(originals)
    except ConversionError:
        return {}


def build_edition(
    pack: MeetingPack,
    config: Config,
    load: Load,
    out_dir: Path,
    edition: Edition,
    converted: Mapping[str, bytes] | None,
    issue: Issue,
) -> Path:
    sections = case_sections(pack)
    cases = [case for section in sections for case in section.cases]
    views = {case.case_ref: view_of(edition, case) for case in cases}
    supporting = {
        case.case_ref: supporting_documents(case, views[case.case_ref], load, converted)
        for case in cases
    }
    layout = _lay_out(pack, edition, sections, views, supporting, issue)
    bundle = merge(layout, cases, views, supporting)
    assemble.add_outline(bundle, outline(layout, sections, views, supporting, bundle))
    bundle.put_links_back()
    path = out_dir / f"bundle-{edition}.pdf"
    title = (
        f"{pack.cluster} panel meeting, {format_date(pack.meeting.day)}: {EDITION_NAMES[edition]}"
    )
    data = assemble.to_bytes(bundle, title, config.cluster.name)
    write_atomic(path, with_stamps(data, FOOTER_MARKINGS[edition], bundle.headers))
    return path


def _lay_out(
    pack: MeetingPack,
    edition: Edition,
    sections: list[Section],
    views: dict[str, View],
    supporting: dict[str, list[Supporting]],
    issue: Issue,
) -> Layout:
    """Our pages laid out, the index's page numbers drawn once the cases have landed."""
    left_out = _left_out(sections, views, supporting)
    header = (
        f"{pack.cluster} · Panel meeting {format_date(pack.meeting.day)} · {EDITION_NAMES[edition]}"
    )
    story = _story(pack, edition, sections, views, supporting, left_out, issue)

    def numbers(marks: Mapping[str, int]) -> dict[str, str]:
        return page_numbers(case_pages(marks, sections, supporting))

    return render(story, title=header, left_header=header, later=numbers)


def _story(
    pack: MeetingPack,
    edition: Edition,
    sections: list[Section],
    views: dict[str, View],
    supporting: dict[str, list[Supporting]],
    left_out: list[str],
    issue: Issue,
) -> list[Flowable]:
    story = [*cover(pack, edition, issue), *agenda(pack, sections)]
    story += agenda_background(pack, edition)
    story += finance_page(pack.finance)
    story += reviews_and_not_ready(pack)
    story += [*capital_page(pack), *impact_page(pack.impact)]
    story += index_pages(sections, views, left_out)
    for section in sections:
        if section.number == 5:
            story += reviews_due(pack.reviews_due, edition)
        for case in section.cases:
            view = views[case.case_ref]
            story += summary(case, view, section, supporting[case.case_ref])
            story += [*forms(case, view), *provision_maps(case, view)]
    return story


def case_pages(
    marks: Mapping[str, int],
    sections: Sequence[Section],
    supporting: Mapping[str, list[Supporting]],
    first: int = 1,
) -> dict[str, int]:
    """The bundle page each case starts on, from the layout's ``marks`` (``first`` for the
    layout's first page), supporting pages before it counted."""
    pages: dict[str, int] = {}
    inserted = first - 1
    for case in (c for s in sections for c in s.cases):
        pages[case.case_ref] = marks[f"case:{case.case_ref}"] + inserted + 1
        inserted += sum(item.pages for item in supporting[case.case_ref])
    return pages


def page_numbers(pages: Mapping[str, int]) -> dict[str, str]:
    """What an index's page cell of each case shows (``index.page_cell``)."""
    return {page_key(ref): str(page) for ref, page in pages.items()}


def merge(
    layout: Layout,
    cases: list[CaseFile],
    views: dict[str, View],
    supporting: dict[str, list[Supporting]],
) -> Bundle:
    """Our pages in order, each case's supporting PDFs right after that case's own pages."""
    own = PdfReader(io.BytesIO(layout.pdf))
    reviews = [(layout.marks["reviews"], "")] if "reviews" in layout.marks else []
    starts = sorted([(layout.marks[f"case:{c.case_ref}"], c.case_ref) for c in cases] + reviews)
    bundle = Bundle()
    bundle.add_own(own, 0, starts[0][0])
    for number, (start, ref) in enumerate(starts):
        stop = starts[number + 1][0] if number + 1 < len(starts) else layout.pages
        bundle.add_own(own, start, stop)
        for item in supporting.get(ref, []):
            if item.reader is not None:
                key = (ref, item.document.sha256)
                name = views[ref].text(item.document.filename)
                bundle.add_supporting(key, item.reader, f"{ref} · Supporting document: {name}")
    return bundle


def _left_out(
    sections: list[Section], views: dict[str, View], supporting: dict[str, list[Supporting]]
) -> list[str]:
    return [
        f"{case.case_ref}: {views[case.case_ref].text(item.document.filename)}. {item.note}"
        for section in sections
        for case in section.cases
        for item in supporting[case.case_ref]
        if item.left_out_original
    ]
