"""The meeting bundle, top to bottom: lay out, count, number, merge, bookmark, stamp, write.

The index needs the page each case starts on, and that depends on how many pages the
supporting PDFs merged before it have. So the bundle's own pages are laid out twice: once to
learn where each case starts, then again with the real numbers in the index. The bookmarks
are ``bookmarks.py``'s.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from pypdf import PdfReader
from reportlab.platypus import Flowable

from pipeline.atomic import write_atomic
from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.meetings.bundle import assemble
from pipeline.meetings.bundle.agenda import Section, case_sections
from pipeline.meetings.bundle.assemble import Bundle
from pipeline.meetings.bundle.bookmarks import outline
from pipeline.meetings.bundle.case_pages import summary
from pipeline.meetings.bundle.edition import (
    EDITION_NAMES,
    EDITIONS,
    FOOTER_MARKINGS,
    Edition,
    View,
    view_of,
)
from pipeline.meetings.bundle.form_pages import forms, provision_maps
from pipeline.meetings.bundle.front import agenda, cover, finance_page
from pipeline.meetings.bundle.index import index_pages
from pipeline.meetings.bundle.layout import Layout, render
from pipeline.meetings.bundle.reviews import reviews_due
from pipeline.meetings.bundle.supporting import (
    Supporting,
    originals_to_convert,
    supporting_documents,
)
from pipeline.meetings.convert import ConversionError, convert_to_pdf, libreoffice
from pipeline.meetings.decision_log import read_decision_log, write_decision_log
from pipeline.meetings.models import CaseFile, MeetingPack
from pipeline.reports.wording import format_date

logger = logging.getLogger(__name__)
Load = Callable[[str], bytes]
DECISION_LOG = "decision-log.xlsx"
_PASSES = 3


def build_meeting_outputs(
    pack: MeetingPack, config: Config, load: Load, out_dir: Path
) -> list[Path]:
    """Both editions of the bundle and the decision log; Word/Excel originals converted once."""
    converted = convert_originals(pack.cases, load)
    paths = [_build(pack, config, load, out_dir, edition, converted) for edition in EDITIONS]
    log = _unfilled_log_path(out_dir, pack)
    write_decision_log(log, pack)
    return [*paths, log]


def _unfilled_log_path(out_dir: Path, pack: MeetingPack) -> Path:
    """Where the decision log goes: never over one that has decisions filled in."""
    log = out_dir / DECISION_LOG
    if not (log.exists() and _has_decisions(log, pack)):
        return log
    number = 2
    while (out_dir / f"decision-log-{number}.xlsx").exists():
        number += 1
    beside = out_dir / f"decision-log-{number}.xlsx"
    logger.warning(
        "%s has decisions filled in and was kept; the new decision log is %s",
        log.name,
        beside.name,
    )
    return beside


def _has_decisions(log: Path, pack: MeetingPack) -> bool:
    known = {case.case_ref for case in pack.cases}
    try:
        return bool(read_decision_log(log.read_bytes(), pack.meeting.day, known))
    except (PipelineError, OSError):
        return True  # a log that cannot be read back may hold decisions: keep it


def build_bundle(
    pack: MeetingPack, config: Config, load: Load, out_dir: Path, *, edition: Edition
) -> Path:
    """Write ``out_dir/bundle-panel.pdf`` or ``out_dir/bundle-full.pdf`` and return its path."""
    return _build(pack, config, load, out_dir, edition, convert_originals(pack.cases, load))


def convert_originals(cases: Sequence[CaseFile], load: Load) -> dict[str, bytes] | None:
    """PDFs of the Word/Excel supporting documents by sha256; None when LibreOffice is absent."""
    if libreoffice() is None:
        return None
    originals = originals_to_convert(cases, load)
    try:
        return convert_to_pdf(originals)
    except ConversionError:
        return {}


def _build(
    pack: MeetingPack,
    config: Config,
    load: Load,
    out_dir: Path,
    edition: Edition,
    converted: Mapping[str, bytes] | None,
) -> Path:
    sections = case_sections(pack)
    cases = [case for section in sections for case in section.cases]
    views = {case.case_ref: view_of(edition, case) for case in cases}
    supporting = {
        case.case_ref: supporting_documents(case, views[case.case_ref], load, converted)
        for case in cases
    }
    layout = _lay_out(pack, edition, sections, views, supporting)
    bundle = _merge(layout, cases, views, supporting)
    assemble.add_outline(bundle, outline(layout, sections, views, supporting, bundle))
    assemble.stamp(bundle, FOOTER_MARKINGS[edition])
    path = out_dir / f"bundle-{edition}.pdf"
    title = (
        f"{pack.cluster} panel meeting, {format_date(pack.meeting.day)}: {EDITION_NAMES[edition]}"
    )
    write_atomic(path, assemble.to_bytes(bundle, title, config.cluster.name))
    return path


def _lay_out(
    pack: MeetingPack,
    edition: Edition,
    sections: list[Section],
    views: dict[str, View],
    supporting: dict[str, list[Supporting]],
) -> Layout:
    """Lay our pages out until the index's page numbers agree with where the cases landed."""
    left_out = _left_out(sections, views, supporting)
    header = (
        f"{pack.cluster} · Panel meeting {format_date(pack.meeting.day)} · {EDITION_NAMES[edition]}"
    )
    pages: dict[str, int] = {}
    for _ in range(_PASSES):
        story = _story(pack, edition, sections, views, supporting, pages, left_out)
        layout = render(story, title=header, left_header=header)
        found = _case_pages(layout, sections, supporting)
        if found == pages:
            return layout
        pages = found
    raise RuntimeError("the index's page numbers did not settle")  # pragma: no cover


def _story(
    pack: MeetingPack,
    edition: Edition,
    sections: list[Section],
    views: dict[str, View],
    supporting: dict[str, list[Supporting]],
    pages: dict[str, int],
    left_out: list[str],
) -> list[Flowable]:
    story = [*cover(pack, edition), *agenda(sections), *finance_page(pack.finance)]
    story += index_pages(sections, views, pages, left_out)
    for section in sections:
        if section.number == 5:
            story += reviews_due(pack.reviews_due, edition)
        for case in section.cases:
            view = views[case.case_ref]
            story += summary(case, view, section, supporting[case.case_ref])
            story += [*forms(case, view), *provision_maps(case, view)]
    return story


def _case_pages(
    layout: Layout, sections: list[Section], supporting: dict[str, list[Supporting]]
) -> dict[str, int]:
    """The 1-based bundle page each case starts on, supporting pages before it counted."""
    pages: dict[str, int] = {}
    inserted = 0
    for case in (c for s in sections for c in s.cases):
        pages[case.case_ref] = layout.marks[f"case:{case.case_ref}"] + inserted + 1
        inserted += sum(item.pages for item in supporting[case.case_ref])
    return pages


def _merge(
    layout: Layout,
    cases: list[CaseFile],
    views: dict[str, View],
    supporting: dict[str, list[Supporting]],
) -> Bundle:
    """Our pages in order, each case's supporting PDFs right after that case's own pages."""
    own = PdfReader(io.BytesIO(layout.pdf))
    starts = sorted(
        [(layout.marks[f"case:{c.case_ref}"], c.case_ref) for c in cases]
        + [(layout.marks["reviews"], "")]
    )
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
