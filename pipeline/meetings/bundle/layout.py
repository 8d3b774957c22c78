"""Laying the bundle's own pages out with reportlab, noting the page each section starts on.

A :class:`Mark` is an invisible flowable put at the start of a section; after layout,
:func:`render` reports the (0-based) page each mark landed on. The header of a page names the
meeting and the case the page belongs to; page numbers are stamped later, over the whole
merged bundle (see ``assemble.py``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from pipeline.meetings.bundle.style import (
    BOTTOM_MARGIN,
    GREY,
    MARGIN,
    NAVY,
    PAGE,
    RULE,
    TOP_MARGIN,
    fonts,
)


class Mark(Flowable):  # type: ignore[misc]
    """Zero-size flowable: section ``key`` starts here (and links to ``#key`` land here)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        if self.key:
            self.canv.bookmarkPage(self.key)


class RunningHeader(Mark):
    """Zero-size flowable: pages started after this one carry ``text`` in their header.

    Put it just before the PageBreak that starts a section, so the new page's header is right.
    """

    def __init__(self, text: str) -> None:
        super().__init__("")
        self.text = text


@dataclass(frozen=True)
class Layout:
    pdf: bytes
    pages: int
    marks: dict[str, int]  # mark key -> 0-based page index


class _Document(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, out: io.BytesIO, title: str, left_header: str, running: str) -> None:
        super().__init__(
            out,
            pagesize=PAGE,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            title=title,
            author="Central Cluster",
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._header)])
        self.left_header = left_header
        self.running = running
        self.marks: dict[str, int] = {}

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, RunningHeader):
            self.running = flowable.text
        elif isinstance(flowable, Mark):
            self.marks.setdefault(flowable.key, self.page - 1)

    def _header(self, canvas: Canvas, doc: Any) -> None:
        if self.page == 1 and not self.running:
            return  # the cover
        f = fonts()
        top = PAGE[1] - 14 * mm
        canvas.saveState()
        canvas.setFont(f.bold, 8)
        canvas.setFillColor(NAVY)
        canvas.drawString(MARGIN, top, self.left_header)
        canvas.setFont(f.regular, 8)
        canvas.setFillColor(GREY)
        canvas.drawRightString(PAGE[0] - MARGIN, top, self.running)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 4, PAGE[0] - MARGIN, top - 4)
        canvas.restoreState()


def render(story: Sequence[Flowable], *, title: str, left_header: str, running: str = "") -> Layout:
    """Lay the story out on A4 and return the PDF with the page of every mark.

    The first page has no header (it is the cover) unless ``running`` gives its right half.
    """
    out = io.BytesIO()
    document = _Document(out, title, left_header, running)
    document.build(list(story))
    return Layout(out.getvalue(), document.page, dict(document.marks))
