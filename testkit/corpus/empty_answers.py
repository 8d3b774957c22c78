"""Forms with their optional answers left empty, each empty answer followed by something a
reader might take for it: a section heading, the next label, or a blank row.

Every optional field is blank (its expected value is nothing); the form is a two-column Word
table whose empty answer cells are truly empty, and the same form exported to PDF by
LibreOffice. Made with python-docx and LibreOffice, never with the readers' helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from schemas import Form, specs
from testkit.corpus import libreoffice
from testkit.corpus.docx_layouts import box_text, new_document, saved, set_cell
from testkit.corpus.values import Truth, expected_json

Write = Callable[[str, str, int, str, bytes, dict[str, Any]], Path | None]

FOLLOWERS = ("heading", "label", "blank-row")
SECTION_TITLES = ("Needs and provision", "Family and views", "Funding", "Declaration")

EMPTY_AXIS_VALUES: dict[str, dict[str, str]] = {
    f"{kind}-empty-then-{after}": {"empty answer then": after.replace("-", " ")}
    for kind in ("docx", "pdf")
    for after in FOLLOWERS
}


def empty_answers(
    write: Write, form: type[Form], truth: Truth, n: int, work: Path
) -> list[Path | None]:
    """The form with every optional answer blank, in each follower, as .docx and .pdf."""
    blanked: Truth = {
        spec.id: None if not spec.required else truth.get(spec.id) for spec in specs(form)
    }
    expected = {"kind": form.kind, "fields": expected_json(blanked)}
    sources = []
    written = []
    for after in FOLLOWERS:
        data = _form(form, blanked, n, after)
        source = work / f"empty-{after}.docx"
        source.write_bytes(data)
        sources.append(source)
        written.append(write(form.kind, f"docx-empty-then-{after}", n, "docx", data, expected))
    pdfs = libreoffice.convert(sources, "pdf", work / "empty")
    for after, pdf in zip(FOLLOWERS, pdfs, strict=True):
        written.append(
            write(form.kind, f"pdf-empty-then-{after}", n, "pdf", pdf.read_bytes(), expected)
        )
    return written


def _form(form: type[Form], truth: Truth, n: int, after: str) -> bytes:
    document = new_document(form)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    sections = 0
    for spec in specs(form):
        label, value = table.add_row().cells
        label.text = spec.label
        empty = truth.get(spec.id) is None
        set_cell(value, "" if empty else box_text(spec, truth, n))
        if not empty or after == "label":
            continue
        if after == "heading":
            title = SECTION_TITLES[sections % len(SECTION_TITLES)]
            sections += 1
            heading = table.add_row().cells
            heading[0].merge(heading[1]).text = f"Section {sections + 1}: {title}"
        else:
            table.add_row()
    return saved(document)
