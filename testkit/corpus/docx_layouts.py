"""Word forms laid out the ways schools lay them out, rendered from a form's schema.

Each layout takes the form class, its true values and the document's number, and returns
.docx bytes: label|value rows, label above value, two label/value pairs a row, "Label: value"
paragraphs with headed narratives, merged cells. Content controls and legacy form fields are
in :mod:`testkit.corpus.docx_fields`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from schemas import FieldSpec, Form, specs
from schemas.types import Kind
from testkit.corpus.values import Truth, written

GUIDANCE = "Please complete every section and return the form to the Central Cluster mailbox."


def new_document(form: type[Form]) -> Any:
    document = Document()
    document.add_heading(form.title, level=1)
    document.add_paragraph(GUIDANCE)
    return document


def saved(document: Any) -> bytes:
    document.add_paragraph()  # as Word does: a document never ends on a table
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def blank_text(spec: FieldSpec, n: int) -> str:
    """How an unfilled optional box is left: empty, or 'N/A' on odd-numbered documents."""
    return "N/A" if n % 2 else ""


def box_text(spec: FieldSpec, truth: Truth, n: int, **style: Any) -> str:
    value = truth.get(spec.id)
    return blank_text(spec, n) if value is None else written(spec, value, **style)


def set_cell(cell: Any, text: str) -> None:
    """A cell's text, one paragraph per line (a narrative's paragraphs stay paragraphs)."""
    lines = text.split("\n")
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def keep_rows_whole(table: Any) -> None:
    for row in table.rows:
        row._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))


def pairs(items: list[FieldSpec]) -> Iterator[tuple[FieldSpec, FieldSpec | None]]:
    for i in range(0, len(items), 2):
        yield items[i], items[i + 1] if i + 1 < len(items) else None


def table2(form: type[Form], truth: Truth, n: int) -> bytes:
    """Label in the left cell, value in the right, one row per field."""
    document = new_document(form)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for spec in specs(form):
        label, value = table.add_row().cells
        label.text = spec.label
        set_cell(value, box_text(spec, truth, n))
    keep_rows_whole(table)
    return saved(document)


def label_above(form: type[Form], truth: Truth, n: int) -> bytes:
    """Labels in one row, their values in the row below; narratives one to a row."""
    document = new_document(form)
    table = document.add_table(rows=0, cols=2)
    short = [s for s in specs(form) if s.kind is not Kind.longtext]
    for first, second in pairs(short):
        labels, values = table.add_row().cells, table.add_row().cells
        for column, spec in enumerate((first, second)):
            if spec is not None:
                labels[column].text = spec.label
                set_cell(values[column], box_text(spec, truth, n, yesno="boxes-before"))
    for spec in specs(form):
        if spec.kind is Kind.longtext:
            table.add_row().cells[0].text = spec.label
            set_cell(table.add_row().cells[0], box_text(spec, truth, n))
    return saved(document)


def four_columns(form: type[Form], truth: Truth, n: int) -> bytes:
    """Two label/value pairs a row; a narrative's value spans the rest of its row."""
    document = new_document(form)
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    short = [s for s in specs(form) if s.kind is not Kind.longtext]
    style: dict[str, Any] = {"yesno": "boxes-after", "long_dates": True}
    for first, second in pairs(short):
        cells = table.add_row().cells
        for offset, spec in ((0, first), (2, second)):
            if spec is not None:
                cells[offset].text = spec.label
                set_cell(cells[offset + 1], box_text(spec, truth, n, **style))
    for spec in specs(form):
        if spec.kind is Kind.longtext:
            cells = table.add_row().cells
            cells[0].text = spec.label
            value = cells[1].merge(cells[3])
            set_cell(value, box_text(spec, truth, n))
    return saved(document)


def paragraphs(form: type[Form], truth: Truth, n: int) -> bytes:
    """'Label: value' lines and headed narratives; the first field in the page header, and
    the fields after the last narrative in a table that follows it."""
    document = new_document(form)
    fields = list(specs(form))
    first = fields.pop(0)
    header = document.sections[0].header.paragraphs[0]
    header.text = f"{first.label}: {box_text(first, truth, n)}"
    last_long = max((i for i, s in enumerate(fields) if s.kind is Kind.longtext), default=-1)
    document.add_heading("Section 1: Details", level=2)
    for index, spec in enumerate(fields[: last_long + 1]):
        text = box_text(spec, truth, n, yesno="typed-x")
        if spec.kind is Kind.longtext:
            document.add_heading(spec.label, level=3)
            for line in text.split("\n") if text else []:
                document.add_paragraph(line)
        else:
            separator = ":\t" if index % 3 == 0 else ": "
            document.add_paragraph(f"{spec.label}{separator}{text}")
    table = document.add_table(rows=0, cols=2)
    for spec in fields[last_long + 1 :]:
        label, value = table.add_row().cells
        label.text, value.text = spec.label, box_text(spec, truth, n)
    return saved(document)
