"""The e-bundle's links: every index row and agenda item opens the page it names, in both
editions, with supporting PDFs merged in between (so the pages move)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from meeting_fixtures import make_pack
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from pipeline.config import Config
from pipeline.meetings.bundle import build_meeting_outputs
from pipeline.meetings.bundle.agenda import ITEMS, case_sections
from pipeline.meetings.models import MeetingPack


@dataclass(frozen=True)
class Link:
    page: int  # 0-based page the link is on
    rect: tuple[float, float, float, float]
    target: int  # 0-based page it opens


@pytest.fixture(scope="module")
def built(
    shipped_config: Config, tmp_path_factory: pytest.TempPathFactory
) -> tuple[MeetingPack, list[Path]]:
    made = make_pack(shipped_config, 12, word_originals=0, scanned=0)
    out = tmp_path_factory.mktemp("links")
    panel, full, _ = build_meeting_outputs(made.pack, shipped_config, made.load, out)
    return made.pack, [panel, full]


def links(path: Path) -> list[Link]:
    """Every link annotation of the file that opens one of its pages (/Dest or GoTo /D)."""
    reader = PdfReader(path)
    numbers = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages)}
    return [
        Link(n, tuple(float(v) for v in a["/Rect"]), numbers[dest[0].idnum])  # type: ignore[arg-type]
        for n, page in enumerate(reader.pages)
        for a in (ref.get_object() for ref in page.get("/Annots") or [])
        if a.get("/Subtype") == "/Link" and (dest := _dest(a)) is not None
    ]


def _dest(annotation: DictionaryObject) -> ArrayObject | None:
    dest = annotation.get("/Dest")
    action = annotation.get("/A")
    if dest is None and action is not None and action.get("/S") == "/GoTo":
        dest = action.get("/D")
    return dest if isinstance(dest, ArrayObject) else None


def words_on(path: Path, heading: str) -> Iterator[tuple[int, float, list[dict[str, object]]]]:
    """(page, page height, words) of each page whose text has ``heading``."""
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages[:10]):
            if heading in (page.extract_text() or ""):
                yield number, float(page.height), page.extract_words()


def link_at(found: list[Link], page: int, height: float, word: dict[str, object]) -> Link:
    """The link whose rectangle holds the middle of the word."""
    x = (float(word["x0"]) + float(word["x1"])) / 2  # type: ignore[arg-type]
    y = height - (float(word["top"]) + float(word["bottom"])) / 2  # type: ignore[arg-type]
    hits = [
        link
        for link in found
        if link.page == page
        and link.rect[0] <= x <= link.rect[2]
        and link.rect[1] <= y <= link.rect[3]
    ]
    assert hits, f"no link under {word['text']!r} on page {page + 1}"
    return hits[0]


def page_text(path: Path, number: int) -> str:
    with pdfplumber.open(path) as pdf:
        return pdf.pages[number].extract_text() or ""


def test_each_index_row_links_to_the_page_its_case_starts_on(
    built: tuple[MeetingPack, list[Path]],
) -> None:
    pack, paths = built
    refs = {case.case_ref for case in pack.cases}
    for path in paths:
        found, opened = links(path), {}
        for page, height, words in words_on(path, "Index of cases"):
            for word in words:
                if word["text"] in refs:
                    opened[word["text"]] = link_at(found, page, height, word).target
        assert set(opened) == refs, path.name
        for ref, target in opened.items():
            assert f"{ref}: case summary" in page_text(path, target), (path.name, ref, target)


def test_each_agenda_item_links_to_the_page_where_it_starts(
    built: tuple[MeetingPack, list[Path]],
) -> None:
    pack, paths = built
    firsts = {s.number: s.cases[0].case_ref for s in case_sections(pack) if s.cases}
    starts = {
        1: "1. Admin and finance",
        2: "2. Cluster-wide issues",
        3: f"{firsts[3]}: case summary",
        4: f"{firsts[4]}: case summary",
        5: "5. Reviews due",
    }
    for path in paths:
        found = links(path)
        (page, height, words), *_ = words_on(path, "Agenda")
        for number, title, _ in ITEMS:
            first_word = next(w for w in words if w["text"] == title.split()[0])
            target = link_at(found, page, height, first_word).target
            assert starts[number] in page_text(path, target), (path.name, title, target + 1)
