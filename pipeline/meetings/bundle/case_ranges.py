"""Where each case's pages lie in a bundle already made, read back from its bookmarks: a case
runs from its own bookmark to the next case's or section's."""

from __future__ import annotations

import pikepdf

_SEPARATOR = " · "  # a case's bookmark is "<case ref> · <pupil or project>"


def case_page_ranges(pdf: pikepdf.Pdf) -> dict[str, range]:
    """0-based page ranges by case reference."""
    marks: list[tuple[int, str | None]] = []
    with pdf.open_outline() as outline:
        for section in outline.root:
            marks.append((_page(pdf, section), None))
            for child in section.children:
                ref, _, _ = str(child.title).partition(_SEPARATOR)
                marks.append((_page(pdf, child), ref if _SEPARATOR in str(child.title) else None))
    starts = sorted({page for page, _ in marks} | {len(pdf.pages)})
    return {
        ref: range(page, next(s for s in starts if s > page))
        for page, ref in marks
        if ref is not None and page >= 0
    }


def _page(pdf: pikepdf.Pdf, item: pikepdf.OutlineItem) -> int:
    """The page a bookmark opens: its destination, or its GoTo action's (pikepdf writes those)."""
    target: object = item.destination
    if target is None and item.action is not None:
        target = item.action.get("/D")
    if isinstance(target, pikepdf.Array) and len(target) > 0:
        try:
            return pdf.pages.index(pikepdf.Page(target[0]))
        except (ValueError, TypeError):
            return -1
    return target if isinstance(target, int) else -1
