"""'Page N of M' and the edition's marking at the foot of every page, as a removable layer;
the case reference at the head of every supporting page, for good.

The foot of each page is drawn as its own form XObject, tagged, on top of the page. A later
version of the bundle (late additions at the end) takes the old feet off the pages it keeps
and stamps every page again with the new total, so no page carries two numbers.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pikepdf
from pikepdf import Name
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pipeline.meetings.bundle.style import GREY, NAVY, RULE, fonts

TAG = Name("/ClusterPageFoot")


def stamp_feet(pdf: pikepdf.Pdf, marking: str, notices: Mapping[int, str] | None = None) -> None:
    """Every page's foot: the marking on the left, 'Page N of M' on the right, and above it
    the notice given for that page (0-based), if any.

    The page's own drawing is wrapped in q/Q so nothing it leaves set moves the foot; the foot
    is a tagged form XObject drawn by a content stream of its own, which is what
    :func:`remove_feet` takes away.
    """
    overlay = pikepdf.open(io.BytesIO(_feet(pdf, marking, notices or {})))
    for page, foot in zip(pdf.pages, overlay.pages, strict=True):
        _draw_on(pdf, page, overlay, foot, tagged=True)


def stamp_heads(pdf: pikepdf.Pdf, heads: Mapping[int, str]) -> None:
    """The case reference at the top of each supporting page (0-based page -> text); these
    stay for good."""
    if not heads:
        return
    numbers = sorted(heads)
    out = io.BytesIO()
    canvas = Canvas(out)
    bold = fonts().bold
    for number in numbers:
        width, height = _size(pdf.pages[number])
        canvas.setPageSize((width, height))
        canvas.setFont(bold, 8)
        canvas.setFillColor(NAVY)
        canvas.drawString(20 * mm, height - 8 * mm, heads[number])
        canvas.showPage()
    canvas.save()
    overlay = pikepdf.open(io.BytesIO(out.getvalue()))
    for number, head in zip(numbers, overlay.pages, strict=True):
        _draw_on(pdf, pdf.pages[number], overlay, head, tagged=False)


def _draw_on(
    pdf: pikepdf.Pdf, page: pikepdf.Page, source: pikepdf.Pdf, drawn: pikepdf.Page, *, tagged: bool
) -> None:
    """``drawn`` over ``page`` as a form XObject, in a content stream of its own."""
    form = pdf.copy_foreign(source.make_indirect(drawn.as_form_xobject()))
    if tagged:
        form[TAG] = True
    name = page.add_resource(form, Name.XObject, prefix="Foot" if tagged else "Head")
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"Q\n"))
    page.contents_add(pdf.make_stream(_drawing(str(name))))


def _size(page: pikepdf.Page) -> tuple[float, float]:
    box = page.mediabox
    return float(box[2]) - float(box[0]), float(box[3]) - float(box[1])


def remove_feet(pdf: pikepdf.Pdf) -> None:
    """Take off the feet :func:`stamp_feet` put on (a page without one is left as it is)."""
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        names = [str(key) for key, value in xobjects.items() if bool(value.get(TAG, False))]
        contents = page.obj.get("/Contents")
        if not names or not isinstance(contents, pikepdf.Array):
            continue
        drawings = {_drawing(name) for name in names}
        page.obj.Contents = pikepdf.Array(s for s in contents if s.read_bytes() not in drawings)
        for name in names:
            del xobjects[name]


def _drawing(name: str) -> bytes:
    return f"q\n{name} Do\nQ\n".encode()


def _feet(pdf: pikepdf.Pdf, marking: str, notices: Mapping[int, str]) -> bytes:
    total = len(pdf.pages)
    out = io.BytesIO()
    canvas = Canvas(out)
    f = fonts()
    for number, page in enumerate(pdf.pages):
        width, height = _size(page)
        canvas.setPageSize((width, height))
        _foot(canvas, width, f"Page {number + 1} of {total}", marking, f.regular, f.bold)
        if number in notices:
            canvas.setFont(f.bold, 9)
            canvas.setFillColor(NAVY)
            canvas.drawString(20 * mm, 9 * mm + 14, notices[number])
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _foot(canvas: Canvas, width: float, number: str, marking: str, regular: str, bold: str) -> None:
    y = 9 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(20 * mm, y + 10, width - 20 * mm, y + 10)
    canvas.setFont(regular, 7.5)
    canvas.setFillColor(GREY)
    canvas.drawString(20 * mm, y, marking)
    canvas.setFont(bold, 8)
    canvas.setFillColor(NAVY)
    canvas.drawRightString(width - 20 * mm, y, number)


def with_stamps(data: bytes, marking: str, heads: Mapping[int, str]) -> bytes:
    """The PDF with every page's foot, and the supporting pages' heads, stamped on."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stamp_heads(pdf, heads)
        stamp_feet(pdf, marking)
        return saved(pdf)


def saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
