"""Hostile documents, made by the real tools: zip bombs, entity bombs, encrypted and damaged
files, a PDF of thousands of pages, a spreadsheet of chained formulas.

Nothing here is checked in as a binary blob: every file is made afresh, in a second or two,
by python-docx, openpyxl, reportlab, pypdf, msoffcrypto-tool and zipfile.
"""

from __future__ import annotations

import io
import random
import zipfile

import docx
import msoffcrypto.format.ooxml  # type: ignore[import-untyped]
import openpyxl
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

MB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" if n > 1 else "&lol;"}'
    + f"{f'&lol{n - 1};' if n > 1 else '&lol;'}" * 9
    + '">'
    for n in range(1, 10)
)


def plain_docx(text: str = "Supporting letter from the educational psychologist.") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plain_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Notes"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The zip with ``parts`` replacing (or added to) its members."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def with_macros(base: bytes, part: str = "xl/vbaProject.bin") -> bytes:
    """An Office zip with a (dummy) VBA project added, still named as a macro-free file."""
    return rezip(base, {part: OLE_MAGIC + b" fictional macro project"})


def windows_program() -> bytes:
    """The headers of a Windows program: an MZ stub whose e_lfanew points at 'PE\\0\\0'."""
    stub = bytearray(b"MZ" + bytes(0x3E))
    stub[0x3C:0x40] = (0x40).to_bytes(4, "little")
    return bytes(stub) + b"PE\0\0" + bytes(1024)


def zip_bomb(base: bytes, member: str, unzipped_mb: int) -> bytes:
    """``base`` with ``member`` swapped for an XML part of ``unzipped_mb`` MB of blanks."""
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
        with target.open(member, "w", force_zip64=True) as stream:
            stream.write(b'<?xml version="1.0"?><root>')
            block = b" " * MB
            for _ in range(unzipped_mb):
                stream.write(block)
            stream.write(b"</root>")
    return out.getvalue()


def many_members(base: bytes, count: int = 6000) -> bytes:
    """A document padded with thousands of tiny parts."""
    return rezip(base, {f"customXml/item{n}.xml": b"<a/>" for n in range(count)})


def entity_docx(*, external: bool = False) -> bytes:
    """A .docx whose body XML declares entities: billion laughs, or an external file read."""
    declarations = '<!ENTITY x SYSTEM "file:///etc/passwd">' if external else _LAUGHS
    reference = "&x;" if external else "&lol9;"
    body = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{declarations}]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{reference}</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    return rezip(plain_docx(), {"word/document.xml": body.encode()})


def entity_xlsx() -> bytes:
    """An .xlsx whose shared strings and first sheet declare the billion laughs."""
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{_LAUGHS}]><sst xmlns="{S_NS}" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{_LAUGHS}]><worksheet xmlns="{S_NS}">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return rezip(
        plain_xlsx(),
        {"xl/sharedStrings.xml": strings.encode(), "xl/worksheets/sheet1.xml": sheet.encode()},
    )


def encrypted_office(plain: bytes, password: str = "Secret-2025") -> bytes:
    """An Office file encrypted as Word and Excel do it: an OLE container (msoffcrypto-tool)."""
    out = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    return out.getvalue()


def text_pdf(lines: tuple[str, ...] = ("Supporting report", "Page of a long document")) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for n, line in enumerate(lines):
        page.drawString(72, 770 - 16 * n, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def encrypted_pdf(password: str = "Secret-2025") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def long_pdf(pages: int = 5000) -> bytes:
    """One text page repeated: every page shares the same content stream."""
    writer = PdfWriter()
    page = PdfReader(io.BytesIO(text_pdf())).pages[0]
    for _ in range(pages):
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def formula_bomb(cells: int = 4000) -> bytes:
    """A provision map's sheet where A1 depends on A2, which depends on A3 ... with no cached
    values (titled as a map: only a workbook that may be a form has its formulas computed)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.cell(row=1, column=3, value="Costed Provision Map")
    for row in range(1, cells):
        sheet.cell(row=row, column=1, value=f"=A{row + 1}+1")
    sheet.cell(row=cells, column=1, value=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def memory_hungry_docx(paragraphs: int = 400_000) -> bytes:
    """A .docx of hundreds of thousands of paragraphs: small on disk, large in memory."""
    rng = random.Random(7)
    runs = "".join(
        f"<w:p><w:r><w:t>Line {n} {rng.randrange(10**9)}</w:t></w:r></w:p>"
        for n in range(paragraphs)
    )
    body = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{runs}</w:body></w:document>'
    return rezip(plain_docx(), {"word/document.xml": body.encode()})


def lying_sizes(data: bytes) -> bytes:
    """The zip with every member's recorded unzipped size shrunk to 1 byte (a lie)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    patched = bytearray(data)
    for info in source.infolist():
        central = data.find(b"PK\x01\x02" + data[0:0], 0)
        while central != -1:
            name_length = int.from_bytes(data[central + 28 : central + 30], "little")
            name = data[central + 46 : central + 46 + name_length].decode("utf-8", "replace")
            if name == info.filename:
                patched[central + 24 : central + 28] = (1).to_bytes(4, "little")
                patched[info.header_offset + 22 : info.header_offset + 26] = (1).to_bytes(
                    4, "little"
                )
                break
            central = data.find(b"PK\x01\x02", central + 4)
    return bytes(patched)
