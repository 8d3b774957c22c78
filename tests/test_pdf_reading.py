"""Reading PDFs: exported text, fillable forms by field name or tooltip, encrypted files."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from records import located_values
from reportlab.pdfgen.canvas import Canvas

from pipeline.extract.form import extract_form
from pipeline.read import Unreadable, read_document
from schemas import IpnReferral


def a_pdf(draw: str = "Forename: Amy") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 750, IpnReferral.title)
    canvas.drawString(72, 720, draw)
    canvas.save()
    return buffer.getvalue()


def encrypted(data: bytes, password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def values(data: bytes) -> dict[str, object]:
    read = read_document(data, "form.pdf", "0" * 64)
    assert read is not None
    return located_values(extract_form(read, IpnReferral))


def test_label_and_value_on_one_line_apart_are_read() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 800, IpnReferral.title)
    canvas.drawString(72, 750, "UPN")
    canvas.drawString(300, 750, "A861200005001")
    canvas.save()
    assert values(buffer.getvalue())["upn"] == "A861200005001"


def test_pdf_with_a_user_password_is_unreadable_saying_so() -> None:
    with pytest.raises(Unreadable, match="password protected"):
        read_document(encrypted(a_pdf(), "secret"), "form.pdf", "0" * 64)


def test_pdf_encrypted_with_an_empty_password_still_reads() -> None:
    assert values(encrypted(a_pdf(), ""))["pupil_forename"] == "Amy"


def test_fillable_form_fields_are_read_by_name_or_tooltip_with_their_location() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 800, IpnReferral.title)
    form = canvas.acroForm
    form.textfield(name="Date of birth", value="03/09/2015", x=72, y=700, width=200, height=20)
    form.textfield(name="Text7", tooltip="Surname", value="Jones", x=72, y=650, width=200)
    form.textfield(name="Forename", value="", x=72, y=600, width=200, height=20)
    form.checkbox(name="CLA", tooltip="Child looked after (CLA)", checked=True, x=72, y=550)
    form.checkbox(name="At risk of permanent exclusion", checked=False, x=72, y=500)
    canvas.save()
    read = read_document(buffer.getvalue(), "form.pdf", "0" * 64)
    assert read is not None
    document = extract_form(read, IpnReferral)
    form = document.form_as(IpnReferral)
    assert form is not None
    assert str(form.date_of_birth) == "2015-09-03"
    assert document.fields["date_of_birth"].source.location == "form field 'Date of birth'"
    assert form.pupil_surname == "Jones"
    assert form.pupil_forename is None and "pupil_forename" in document.fields
    assert form.looked_after is True
    assert form.at_risk_of_exclusion is False


def test_encrypted_office_file_is_unreadable_saying_so() -> None:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200
    data = header + "EncryptionInfo".encode("utf-16-le") + b"\0" * 200
    with pytest.raises(Unreadable, match="password protected"):
        read_document(data, "referral.docx", "0" * 64)
