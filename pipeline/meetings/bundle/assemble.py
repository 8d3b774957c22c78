"""Putting the bundle together: our pages and the supporting PDFs, bookmarks, page numbers.

Supporting pages are placed on A4 (landscape pages on landscape A4), scaled down when needed,
leaving a band at the foot for the stamp; annotations (form fields) move with their page.
Then every page is stamped "Page N of M" with the edition's marking, and supporting pages
also carry the case reference at the top.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    FloatObject,
    IndirectObject,
    NameObject,
    RectangleObject,
    StreamObject,
)
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm

from pipeline.meetings.bundle.links import Rect, Taken, page_numbers, put_back, take_internal_links

FOOT = 16 * mm  # height of the band at the foot of every page kept for the stamp
HEAD = 12 * mm  # band at the top of supporting pages for the case reference
SIDE = 8 * mm


@dataclass
class Outline:
    """A bookmark: its title, the 0-based page it opens, and bookmarks nested under it."""

    title: str
    page: int
    children: list[Outline] = field(default_factory=list)


@dataclass
class Bundle:
    """The pages being put together, with the header each supporting page is stamped with."""

    writer: PdfWriter = field(default_factory=PdfWriter)
    headers: dict[int, str] = field(default_factory=dict)
    own_pages: dict[int, int] = field(default_factory=dict)  # our layout's page -> bundle page
    starts: dict[tuple[str, str], int] = field(default_factory=dict)  # (case, sha256) -> page
    own_links: list[tuple[int, Taken]] = field(default_factory=list)  # to our layout's pages
    links: list[tuple[int, Taken]] = field(default_factory=list)  # to bundle pages
    _own_numbers: dict[int, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return len(self.writer.pages)

    def add_own(self, reader: PdfReader, first: int, stop: int) -> None:
        """Pages ``first`` to ``stop - 1`` of the bundle's own layout."""
        if not self._own_numbers:
            self._own_numbers = page_numbers(reader)
        for number in range(first, stop):
            self.own_pages[number] = self.pages
            page = reader.pages[number]
            for taken in take_internal_links(reader, page, self._own_numbers):
                self.own_links.append((self.pages, taken))
            self.writer.add_page(page)

    def add_supporting(self, key: tuple[str, str], reader: PdfReader, header: str) -> None:
        start = self.starts[key] = self.pages
        numbers = page_numbers(reader)
        for page in reader.pages:
            self.headers[self.pages] = header
            taken = take_internal_links(reader, page, numbers)
            placed = self.writer.add_page(page)
            move = _place_on_a4(placed, self.writer)
            for link in taken:
                moved = Taken(move(link.rect), start + link.target)
                self.links.append((self.pages - 1, moved))

    def put_links_back(self) -> None:
        """Every internal link, opening the bundle page its target landed on."""
        for page, taken in self.own_links:
            put_back(self.writer, page, taken, self.own_pages.__getitem__)
        for page, taken in self.links:
            put_back(self.writer, page, taken, int)


def _place_on_a4(page: PageObject, writer: PdfWriter) -> Callable[[Rect], Rect]:
    """Scale and centre the page on A4; returns how a rectangle on it moved."""
    if page.rotation % 360:
        page.transfer_rotation_to_content()
    box = page.cropbox
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    target_w, target_h = landscape(A4) if width > height else A4
    room_w, room_h = target_w - 2 * SIDE, target_h - HEAD - FOOT
    scale = min(room_w / width, room_h / height, 1.0)
    dx = (target_w - width * scale) / 2 - left * scale
    dy = FOOT + (room_h - height * scale) / 2 - bottom * scale
    _draw_through(page, writer, (scale, 0, 0, scale, dx, dy))

    def move(rect: Rect) -> Rect:
        x1, y1, x2, y2 = rect
        return (x1 * scale + dx, y1 * scale + dy, x2 * scale + dx, y2 * scale + dy)

    for annotation in page.get("/Annots") or []:
        obj = annotation.get_object()
        if "/Rect" in obj:
            moved = move(tuple(float(v) for v in obj["/Rect"]))  # type: ignore[arg-type]
            obj[NameObject("/Rect")] = ArrayObject(FloatObject(v) for v in moved)
    full = RectangleObject((0, 0, target_w, target_h))
    page.mediabox = full
    page.cropbox = full
    page.trimbox = full
    page.bleedbox = full
    page.artbox = full
    return move


def _draw_through(
    page: PageObject, writer: PdfWriter, matrix: tuple[float, float, float, float, float, float]
) -> None:
    """Draw the page's content through ``matrix``: its streams wrapped in ``q cm`` ... ``Q``.

    pypdf's add_transformation parses every operator of the content to do this, which was
    most of the bundle's build time; the wrapping needs none of it. (``_add_object``: pypdf
    has no public way to add a new stream to a writer.)
    """
    numbers = " ".join(f"{value:.6f}" for value in matrix)
    wrapped = []
    for data in (f"q {numbers} cm\n".encode(), None, b"\nQ\n"):
        if data is None:
            wrapped += _content_references(page, writer)
            continue
        stream = StreamObject()
        stream.set_data(data)
        wrapped.append(writer._add_object(stream))
    page[NameObject("/Contents")] = ArrayObject(wrapped)


def _content_references(page: PageObject, writer: PdfWriter) -> list[IndirectObject]:
    raw = page.raw_get("/Contents") if "/Contents" in page else None
    if raw is None:
        return []
    resolved = raw.get_object()
    if isinstance(resolved, ArrayObject):
        return [
            item if isinstance(item, IndirectObject) else writer._add_object(item)
            for item in resolved
        ]
    return [raw if isinstance(raw, IndirectObject) else writer._add_object(raw)]


def add_outline(bundle: Bundle, entries: Sequence[Outline]) -> None:
    """Bookmarks, nested as given; the top level opens, deeper levels start closed."""

    def add(entry: Outline, parent: IndirectObject | None) -> None:
        item = bundle.writer.add_outline_item(
            title=entry.title, page_number=entry.page, parent=parent, is_open=parent is None
        )
        for child in entry.children:
            add(child, item)

    for entry in entries:
        add(entry, None)
    bundle.writer.page_mode = "/UseOutlines"


def to_bytes(bundle: Bundle, title: str, author: str) -> bytes:
    bundle.writer.add_metadata(
        {"/Title": title, "/Author": author, "/Creator": "cluster-referrals"}
    )
    out = io.BytesIO()
    bundle.writer.write(out)
    return out.getvalue()
