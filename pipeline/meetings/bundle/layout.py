"""Laying the bundle's own pages out with reportlab, noting the page each section starts on.

A :class:`Mark` is an invisible flowable put at the start of a section; after layout,
:func:`render` reports the (0-based) page each mark landed on. The header of a page names the
meeting and the case the page belongs to; page numbers are stamped later, over the whole
merged bundle (see ``assemble.py``).

An index names the pages later sections start on, known only once everything after it is
laid out: a :class:`LaterText` keeps a line's room and is drawn when the story is done (a PDF
form object, used on its page and defined before the file is saved), so the story is laid
out once rather than once more for the index's numbers.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from pipeline.meetings.bundle.style import (
    BOTTOM_MARGIN,
    GREY,
    MARGIN,
    NAVY,
    PAGE,
    RULE,
    TOP_MARGIN,
    fonts,
    para,
)

Later = Callable[[Mapping[str, int]], Mapping[str, str]]  # marks -> each LaterText's text


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


class LaterText(Flowable):  # type: ignore[misc]
    """One line of text (``style``) known once the story is laid out: the text of ``key`` that
    :func:`render`'s ``later`` gives; ``link`` makes the line open that mark's page."""

    def __init__(self, key: str, style: ParagraphStyle, link: str = "") -> None:
        super().__init__()
        self.key = key
        self.style = style
        self.link = link
        self._room = Paragraph("0", style)  # a one-line paragraph: the room the text will have

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self._room.wrap(available_width, available_height)
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self._room.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self._room.getSpaceAfter())

    def draw(self) -> None:
        self.canv.doForm(self.canv._doctemplate.later_form(self))
        if self.link:
            self.canv.linkRect("", self.link, (0, 0, self.width, self.height), relative=1)


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
        self.later: list[tuple[str, LaterText]] = []

    def later_form(self, text: LaterText) -> str:
        """The name of the form that will hold ``text``'s line."""
        name = f"later{len(self.later)}"
        self.later.append((name, text))
        return name

    def draw_later(self, texts: Mapping[str, str]) -> None:
        """Each LaterText's line, drawn where a paragraph of it would have been."""
        canvas = self.canv
        for name, later in self.later:
            canvas.beginForm(name, -PAGE[0], -PAGE[1], PAGE[0], PAGE[1])
            line = para(texts[later.key], later.style)
            line.wrap(later.width, later.height)
            line.drawOn(canvas, 0, 0)
            canvas.endForm()

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


def render(
    story: Sequence[Flowable],
    *,
    title: str,
    left_header: str,
    running: str = "",
    later: Later | None = None,
) -> Layout:
    """Lay the story out on A4 and return the PDF with the page of every mark; ``later``
    gives the text of the story's :class:`LaterText` lines from the marks.

    The first page has no header (it is the cover) unless ``running`` gives its right half.
    """
    out = io.BytesIO()
    document = _Document(out, title, left_header, running)
    document._doSave = 0  # saved below, once the later lines are drawn
    document.build(list(story))
    if document.later:
        if later is None:
            raise ValueError("the story has LaterText lines but render was given no later")
        document.draw_later(later(document.marks))
    document.canv.save()
    return Layout(out.getvalue(), document.page, dict(document.marks))
