"""Word forms filled through fields: content controls, legacy form fields, merged cells.

The XML is written by hand, as Word writes it: plain-text, date, drop-down and check-box
content controls (an unfilled one showing its placeholder), FORMTEXT and FORMCHECKBOX legacy
fields, a table with vertically and horizontally merged cells and a text box.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from schemas import FieldSpec, Form, specs
from schemas.types import Kind
from testkit.corpus.docx_layouts import box_text, new_document, saved, set_cell
from testkit.corpus.values import Truth, written

W = nsdecls("w")
W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
TEXTBOX_NS = (
    f'{W} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
PLACEHOLDER = "Click or tap here to enter text."
EMPTY_FORMTEXT = "\u2002" * 5


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraphs(text: str) -> str:
    return "".join(f"<w:p>{_run(line)}</w:p>" for line in text.split("\n"))


def _control(spec: FieldSpec, text: str, n: int) -> str:
    """A block-level content control holding the value, or its placeholder when unfilled."""
    kind = {Kind.date: '<w:date><w:dateFormat w:val="dd/MM/yyyy"/></w:date>'}.get(spec.kind, "")
    if spec.kind is Kind.choice:
        items = "".join(f'<w:listItem w:displayText="{escape(c)}"/>' for c in spec.choices)
        kind = f"<w:dropDownList>{items}</w:dropDownList>"
    if spec.kind is Kind.longtext:
        kind = ""
    elif not kind:
        kind = "<w:text/>"
    placeholder = ""
    if not text:
        placeholder = "<w:showingPlcHdr/>" if n % 2 == 0 else ""
        text = PLACEHOLDER
    return (
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="{escape(spec.label)}"/>{placeholder}{kind}'
        f"</w:sdtPr><w:sdtContent>{_paragraphs(text)}</w:sdtContent></w:sdt>"
    )


def _checkbox(ticked: bool) -> str:
    return (
        f'<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(ticked)}"/></w14:checkbox>'
        f"</w:sdtPr><w:sdtContent>{_run('☒' if ticked else '☐')}</w:sdtContent></w:sdt>"
    )


def _yes_no(boxes: tuple[str, str]) -> str:
    yes, no = boxes
    return f"<w:p {W} {W14}>{yes}{_run(' Yes   ')}{no}{_run(' No')}</w:p>"


def _replace_content(cell: Any, xml: str) -> None:
    cell._tc.remove(cell.paragraphs[0]._p)
    cell._tc.append(parse_xml(xml))


def content_controls(form: type[Form], truth: Truth, n: int) -> bytes:
    """Every value in a content control; unfilled ones show their placeholder."""
    document = new_document(form)
    table = document.add_table(rows=0, cols=2)
    for spec in specs(form):
        label, value = table.add_row().cells
        label.text = spec.label
        truth_value = truth.get(spec.id)
        if isinstance(truth_value, bool):
            _replace_content(value, _yes_no((_checkbox(truth_value), _checkbox(not truth_value))))
        else:
            text = "" if truth_value is None else written(spec, truth_value)
            _replace_content(value, _control(spec, text, n))
    return saved(document)


def _formtext(text: str) -> str:
    shown = "<w:r><w:br/></w:r>".join(_run(line) for line in text.split("\n")) if text else ""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/>'
        "<w:textInput/></w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{shown or _run(EMPTY_FORMTEXT)}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _formcheckbox(ticked: bool) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
        f'<w:checkBox><w:sizeAuto/><w:default w:val="{int(ticked)}"/></w:checkBox></w:ffData>'
        '</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def legacy_fields(form: type[Form], truth: Truth, n: int) -> bytes:
    """Values in FORMTEXT fields, yes/no answers as a pair of FORMCHECKBOX fields."""
    document = new_document(form)
    table = document.add_table(rows=0, cols=2)
    for spec in specs(form):
        label, value = table.add_row().cells
        label.text = spec.label
        truth_value = truth.get(spec.id)
        if isinstance(truth_value, bool):
            boxes = (_formcheckbox(truth_value), _formcheckbox(not truth_value))
            _replace_content(value, _yes_no(boxes))
        else:
            text = "" if truth_value is None else written(spec, truth_value)
            _replace_content(value, f"<w:p {W}>{_formtext(text)}</w:p>")
    return saved(document)


def _text_box(text: str) -> str:
    """A text box as Word writes it: the shape, and a VML copy for older readers."""
    content = f"<w:txbxContent>{_paragraphs(text)}</w:txbxContent>"
    return (
        f'<w:p {TEXTBOX_NS}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )


def merged(form: type[Form], truth: Truth, n: int) -> bytes:
    """A section column merged down its rows, values spanning two columns, narratives below
    their labels across the row; the form's fourth field in a text box above the table."""
    document = new_document(form)
    fields = list(specs(form))
    boxed = fields.pop(3)
    box = _text_box(f"{boxed.label}: {box_text(boxed, truth, n)}")
    document.element.body.insert(-1, parse_xml(box))
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for spec in fields:
        cells = table.add_row().cells
        if spec.kind is Kind.longtext:
            cells[1].merge(cells[3]).text = spec.label
            below = table.add_row().cells
            set_cell(below[1].merge(below[3]), box_text(spec, truth, n))
        else:
            cells[1].text = spec.label
            set_cell(cells[2].merge(cells[3]), box_text(spec, truth, n))
    first_column = table.columns[0].cells
    merged_cell = first_column[0].merge(first_column[-1])
    merged_cell.text = "Details"
    return saved(document)
