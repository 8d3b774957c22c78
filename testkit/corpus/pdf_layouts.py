"""PDF forms drawn with reportlab: a ruled label|value table, spaced lines, a fillable form.

These stand in for a form exported from Word when LibreOffice is not installed (the layout's
name says ``reportlab``), and give the fillable (AcroForm) layout: text fields named like
their labels (some only by tooltip, as forms built in Acrobat are), check boxes for Yes/No.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from schemas import Form, specs
from schemas.types import Kind
from testkit.corpus.docx_layouts import box_text
from testkit.corpus.values import Truth

WIDTH, HEIGHT = A4
MARGIN = 2 * cm
VALUE_X = 9 * cm
FONT, SIZE, LEADING = "Helvetica", 10, 14


def ruled_table(form: type[Form], truth: Truth, n: int) -> bytes:
    """The label|value table of the Word form, drawn as a ruled table."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    rows = [
        [Paragraph(escape(spec.label), body), _cell_paragraph(box_text(spec, truth, n), body)]
        for spec in specs(form)
    ]
    table = Table(rows, colWidths=(6 * cm, 11 * cm), repeatRows=0)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, invariant=True)
    document.build([Paragraph(escape(form.title), styles["Title"]), Spacer(1, 12), table])
    return buffer.getvalue()


def _cell_paragraph(text: str, style: Any) -> Paragraph:
    return Paragraph("<br/>".join(escape(line) for line in text.split("\n")), style)


class _Page:
    """A canvas written top to bottom, a new page when the current one is full."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.y = HEIGHT - MARGIN

    def next_line(self, lines: float = 1) -> float:
        if self.y - LEADING * lines < MARGIN:
            self.canvas.showPage()
            self.y = HEIGHT - MARGIN
        self.y -= LEADING * lines
        return float(self.y)

    def text(self, x: float, text: str, font: str = FONT, size: int = SIZE) -> None:
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, self.y, text)


def spaced_lines(form: type[Form], truth: Truth, n: int) -> bytes:
    """Label and value on one line with space between; narratives under their labels."""
    buffer = io.BytesIO()
    page = _Page(Canvas(buffer, pagesize=A4, invariant=True))
    page.next_line()
    page.text(MARGIN, form.title, "Helvetica-Bold", 14)
    page.next_line()
    for spec in specs(form):
        text = box_text(spec, truth, n)
        if spec.kind is Kind.longtext:
            page.next_line(2)
            page.text(MARGIN, spec.label, "Helvetica-Bold")
            for line in _wrapped(text):
                page.next_line()
                page.text(MARGIN, line)
            continue
        page.next_line(1.5)
        page.text(MARGIN, spec.label, "Helvetica-Bold")
        if page.canvas.stringWidth(spec.label, "Helvetica-Bold", SIZE) > VALUE_X - 2.5 * cm:
            page.next_line()
            page.text(MARGIN, text)
        else:
            page.text(VALUE_X, text)
    page.canvas.save()
    return buffer.getvalue()


def _wrapped(text: str, width: int = 95) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            if current and len(current) + len(word) + 1 > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append(current)
    return [line for line in lines if line]


def acroform(form: type[Form], truth: Truth, n: int) -> bytes:
    """A fillable form: a text field or a check box per field, filled in."""
    buffer = io.BytesIO()
    page = _Page(Canvas(buffer, pagesize=A4, invariant=True))
    page.next_line()
    page.text(MARGIN, form.title, "Helvetica-Bold", 14)
    for number, spec in enumerate(specs(form), start=1):
        tall = spec.kind is Kind.longtext
        page.next_line(5 if tall else 2)
        page.text(MARGIN, spec.label[:70], size=8)
        name = f"Text{number}" if number % 3 == 0 else _field_name(spec.label)
        value = truth.get(spec.id)
        if isinstance(value, bool):
            page.canvas.acroForm.checkbox(
                name=name,
                tooltip=spec.label,
                checked=value,
                x=VALUE_X + 4 * cm,
                y=page.y - 2,
                size=12,
            )
            continue
        page.canvas.acroForm.textfield(
            name=name,
            tooltip=spec.label,
            value=box_text(spec, truth, n),
            x=VALUE_X + 4 * cm,
            y=page.y - 4,
            width=6 * cm,
            height=LEADING * (4 if tall else 1.2),
            fontSize=8,
            fieldFlags="multiline" if tall else "",
            borderWidth=0.5,
        )
    page.canvas.save()
    return buffer.getvalue()


def _field_name(label: str) -> str:
    """A field named like its label, without the characters field names cannot hold."""
    return "".join(ch for ch in label if ch.isalnum() or ch in " /'-,%()").strip()
