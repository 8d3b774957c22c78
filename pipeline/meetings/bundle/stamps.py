"""'Page N of M' and the edition's marking at the foot of every page, as a removable layer.

The foot of each page is drawn as its own form XObject, tagged, on top of the page. A later
version of the bundle (late additions at the end) takes the old feet off the pages it keeps
and stamps every page again with the new total, so no page carries two numbers.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Name
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from pipeline.meetings.bundle.style import GREY, NAVY, RULE, fonts

TAG = Name("/ClusterPageFoot")


def stamp_feet(pdf: pikepdf.Pdf, marking: str) -> None:
    """Every page's foot: the marking on the left, 'Page N of M' on the right.

    The page's own drawing is wrapped in q/Q so nothing it leaves set moves the foot; the foot
    is a tagged form XObject drawn by a content stream of its own, which is what
    :func:`remove_feet` takes away.
    """
    overlay = pikepdf.open(io.BytesIO(_feet(pdf, marking)))
    for page, foot in zip(pdf.pages, overlay.pages, strict=True):
        form = pdf.copy_foreign(overlay.make_indirect(foot.as_form_xobject()))
        form[TAG] = True
        name = page.add_resource(form, Name.XObject, prefix="Foot")
        page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"Q\n"))
        page.contents_add(pdf.make_stream(_drawing(str(name))))


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


def _feet(pdf: pikepdf.Pdf, marking: str) -> bytes:
    total = len(pdf.pages)
    out = io.BytesIO()
    canvas = Canvas(out)
    f = fonts()
    for number, page in enumerate(pdf.pages):
        box = page.mediabox
        width = float(box[2]) - float(box[0])
        canvas.setPageSize((width, float(box[3]) - float(box[1])))
        _foot(canvas, width, f"Page {number + 1} of {total}", marking, f.regular, f.bold)
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


def with_feet(data: bytes, marking: str) -> bytes:
    """The PDF with every page's foot stamped on."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        stamp_feet(pdf, marking)
        return saved(pdf)


def saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
