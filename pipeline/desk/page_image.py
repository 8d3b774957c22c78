"""A PDF page as a picture with the place a value was read marked by a box: the line of a
text PDF or a cell of one of its tables. The page was read within the sandbox's limits when
the email arrived; the desk renders only documents of the case that were read then."""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber

from pipeline.read.lines import Placed, group_lines, line_text

RESOLUTION = 100  # dots per inch: an A4 page is about 830 x 1170 pixels
LINE = re.compile(r"page (\d+), line (\d+)")
TABLE_CELL = re.compile(r"page (\d+), table (\d+), row (\d+), cell (\d+)")
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


def marked_page(data: bytes, location: str) -> bytes | None:
    """The PNG of the page ``location`` names, the place boxed; None for another location."""
    line, cell = LINE.fullmatch(location), TABLE_CELL.fullmatch(location)
    found = line or cell
    if found is None:
        return None
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        number = int(found[1])
        if not 1 <= number <= len(pdf.pages):
            return None
        page = pdf.pages[number - 1]
        box = (
            _line_box(page, int(line[2]))
            if line
            else _cell_box(pdf, number, *(int(part) for part in found.groups()[1:]))
        )
        image = page.to_image(resolution=RESOLUTION)
        if box is not None:
            image.draw_rect(box, fill=(255, 214, 0, 80), stroke=(200, 120, 0), stroke_width=3)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()


def _line_box(page: Any, number: int) -> Box | None:
    """The box around line ``number`` of the page, counted as the PDF reader counts lines."""
    words = page.extract_words()
    placed = [Placed(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words]
    lines = [line for line in group_lines(placed) if line_text(line).strip()]
    if not 1 <= number <= len(lines):
        return None
    chosen = lines[number - 1]
    return (
        min(w.x0 for w in chosen) - 2,
        min(w.top for w in chosen) - 2,
        max(w.x1 for w in chosen) + 2,
        max(w.bottom for w in chosen) + 2,
    )


def _cell_box(pdf: Any, page_number: int, table: int, row: int, cell: int) -> Box | None:
    """Tables are numbered across the whole document, as the PDF reader numbers them."""
    earlier = sum(len(p.extract_tables()) for p in pdf.pages[: page_number - 1])
    tables = pdf.pages[page_number - 1].find_tables()
    index = table - earlier - 1
    if not 0 <= index < len(tables) or not 1 <= row <= len(tables[index].rows):
        return None
    cells = tables[index].rows[row - 1].cells
    if not 1 <= cell <= len(cells) or cells[cell - 1] is None:
        return None
    x0, top, x1, bottom = cells[cell - 1]
    return (x0, top, x1, bottom)
