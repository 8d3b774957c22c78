"""The bundle's look: A4, one sans-serif family, council navy, shaded table headers.

Liberation Sans (metric-compatible with Arial) or DejaVu Sans is embedded when installed, so
any character a school typed prints; otherwise the PDF's built-in Helvetica is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

PAGE = A4
MARGIN = 20 * mm
TOP_MARGIN = 24 * mm
BOTTOM_MARGIN = 22 * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN

NAVY = colors.HexColor("#1F3864")
SHADE = colors.HexColor("#DCE3EE")
LIGHT = colors.HexColor("#F3F5F9")
RULE = colors.HexColor("#9AA5B1")
GREY = colors.HexColor("#555F6B")
ERROR = colors.HexColor("#F8D7DA")
WARNING = colors.HexColor("#FFF1C9")
INFO = colors.HexColor("#E2ECF7")
ALERT = colors.HexColor("#B3261E")

_FONT_FILES = (
    (
        "/usr/share/fonts/truetype/liberation2",
        "LiberationSans-{}.ttf",
        ("Regular", "Bold", "Italic"),
    ),
    (
        "/usr/share/fonts/truetype/liberation",
        "LiberationSans-{}.ttf",
        ("Regular", "Bold", "Italic"),
    ),
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSans{}.ttf", ("", "-Bold", "-Oblique")),
)


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str


@cache
def fonts() -> Fonts:
    """Register the first installed font family; Helvetica if none is."""
    for folder, pattern, styles in _FONT_FILES:
        files = [Path(folder) / pattern.format(s) for s in styles]
        if all(f.exists() for f in files):
            names = ("BundleSans", "BundleSans-Bold", "BundleSans-Italic")
            for name, file in zip(names, files, strict=True):
                pdfmetrics.registerFont(TTFont(name, str(file)))
            pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[2])
            return Fonts(*names)
    return Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    marking: ParagraphStyle
    alert: ParagraphStyle


@cache
def styles() -> Styles:
    f = fonts()

    def style(name: str, size: float, font: str = f.regular, **more: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, **more)

    return Styles(
        body=style("body", 10, spaceAfter=5),
        small=style("small", 8.5, textColor=GREY, spaceAfter=4),
        cell=style("cell", 8.5),
        cell_bold=style("cell_bold", 8.5, f.bold),
        cell_right=style("cell_right", 8.5, alignment=TA_RIGHT),
        cell_head=style("cell_head", 7.5, f.bold),
        title=style("title", 26, f.bold, textColor=NAVY, spaceAfter=10),
        subtitle=style("subtitle", 14, textColor=NAVY, spaceAfter=6),
        h1=style("h1", 16, f.bold, textColor=NAVY, spaceAfter=8),
        h2=style("h2", 12, f.bold, textColor=NAVY, spaceBefore=10, spaceAfter=5),
        h3=style("h3", 10, f.bold, spaceBefore=6, spaceAfter=2),
        marking=style("marking", 10, f.bold, textColor=ALERT, spaceBefore=6, spaceAfter=6),
        alert=style(
            "alert",
            10,
            f.bold,
            textColor=ALERT,
            backColor=ERROR,
            borderPadding=6,
            spaceBefore=8,
            spaceAfter=10,
        ),
    )


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    markup = escape(text).replace("\n", "<br/>")
    return Paragraph(markup, style or styles().body)


def linked(text: str, target: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain text that is a link to the page where :class:`Mark` ``target`` is."""
    markup = f'<a href="#{escape(target)}">{escape(text)}</a>'
    return Paragraph(markup, style or styles().body)


def cells(values: Sequence[str], style: ParagraphStyle | None = None) -> list[Flowable]:
    return [para(v, style or styles().cell) for v in values]


def table(
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    *,
    header: bool = True,
    extra: Sequence[tuple[object, ...]] = (),
) -> Table:
    """A ruled table; the first row shaded and repeated on each page when ``header``."""
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    commands.extend(extra)
    built = Table(
        [list(r) for r in rows],
        colWidths=list(widths),
        repeatRows=1 if header else 0,
        hAlign="LEFT",
    )
    built.setStyle(TableStyle(commands))
    return built


def header_row(labels: Sequence[str]) -> list[Flowable]:
    return cells(labels, styles().cell_bold)


def facts_table(facts: Sequence[tuple[str, str]], label_width: float = 55 * mm) -> Table:
    """Label / value pairs, labels shaded down the left."""
    s = styles()
    rows = [[para(label, s.cell_bold), para(value, s.cell)] for label, value in facts]
    return table(
        rows or [[para("Nothing given", s.cell), para("", s.cell)]],
        (label_width, FRAME_WIDTH - label_width),
        header=False,
        extra=[("BACKGROUND", (0, 0), (0, -1), LIGHT)],
    )
