"""A picture in the email's body (a signature logo) is part of the body, not a document.

The emails are laid out as Outlook and Gmail send HTML mail: multipart/mixed holding a
multipart/related (the text and HTML alternatives, then each picture the HTML shows, marked
``inline`` with the Content-ID its ``<img src="cid:...">`` names), then the attachments. The
Outlook .msg is written by aspose-email-foss's MSG writer: the logo an attachment with the
Content-ID its HTML body shows, as Outlook saves it.
"""

from __future__ import annotations

import email
import io
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path

import pytest
from aspose.email_foss import msg  # type: ignore[import-untyped]
from PIL import Image, ImageDraw
from records import codes, run_one

from pipeline.config import Config
from pipeline.intake.mail import parse_incoming
from pipeline.intake.store import BlobStore
from pipeline.models import Incoming
from testkit.samples import sample
from testkit.samples.case import SampleReferral
from testkit.samples.email_message import TYPES, attachments, email_bytes

# How each client names the picture and the Content-ID its HTML points at.
OUTLOOK = ("image001.png", "image001.png@01DC3A2B.5E6F7A80")
GMAIL = ("logo.png", "ii_mh3kq2xz0")


def logo_png() -> bytes:
    """A school's signature logo: a small coloured PNG with a crest and a bar."""
    image = Image.new("RGB", (180, 60), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, 54, 54), fill=(20, 60, 140))
    draw.rectangle((64, 24, 172, 36), fill=(200, 160, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def html_email(
    referral: SampleReferral,
    files: list[tuple[str, bytes]],
    picture: tuple[str, str] = OUTLOOK,
    *,
    shown: bool = True,
    disposition: str = "inline",
    src: str | None = None,
) -> bytes:
    """The referral as an HTML email whose signature carries a logo (shown by the HTML at
    ``src``, by default its cid: URL, or not), with ``files`` attached after it."""
    name, cid = picture
    src = src or f"cid:{cid}"
    signature = f'<img width="180" height="60" src="{src}" alt="School logo">' if shown else ""
    alternative = EmailMessage(policy=SMTP)
    alternative.set_content(referral.body)
    html = f"<html><body><p>{referral.body}</p>{signature}</body></html>"
    alternative.add_alternative(html, subtype="html")
    logo = EmailMessage(policy=SMTP)
    logo.set_content(
        logo_png(), "image", "png", disposition=disposition, filename=name, cid=f"<{cid}>"
    )
    related = multipart("related", alternative, logo)
    related.set_param("type", "multipart/alternative")
    message = multipart("mixed", related, *(attached(n, d) for n, d in files))
    message["From"] = f"{referral.sender_name} <{referral.sender}>"
    message["To"] = referral.mailbox
    message["Subject"] = referral.subject
    message["Date"] = format_datetime(referral.received_at)
    message["Message-ID"] = referral.message_id
    return message.as_bytes(policy=SMTP)


def multipart(subtype: str, *parts: EmailMessage) -> EmailMessage:
    container = EmailMessage(policy=SMTP)
    container["Content-Type"] = f"multipart/{subtype}"
    for part in parts:
        container.attach(part)
    return container


def attached(filename: str, data: bytes) -> EmailMessage:
    part = EmailMessage(policy=SMTP)
    maintype, subtype = TYPES[Path(filename).suffix.lower()]
    part.set_content(data, maintype, subtype, disposition="attachment", filename=filename)
    return part


def outlook_message(files: list[tuple[str, bytes]]) -> bytes:
    """An Outlook HTML message whose signature shows its logo, carrying ``files``."""
    name, cid = OUTLOOK
    message = msg.MapiMessage.create("Referral", "Please see the attached referral.")
    message.body_html = (
        "<html><body><p>Please see the attached referral.</p>"
        f'<img width="180" height="60" src="cid:{cid}"></body></html>'
    )
    message.add_attachment(name, logo_png(), mime_type="image/png", content_id=cid)
    for filename, data in files:
        message.add_attachment(filename, data, mime_type="application/octet-stream")
    data: bytes = message.to_bytes()
    return data


def attachment_names(tmp_path: Path, data: bytes) -> list[str]:
    store = BlobStore(tmp_path / "store")
    arrived = datetime(2025, 10, 1, 8, tzinfo=UTC)
    incoming = Incoming(source="test", ref="m.eml", filename="m.eml", data=data, arrived_at=arrived)
    return [a.filename for a in parse_incoming(incoming, store).attachments]


@pytest.mark.parametrize("picture", [OUTLOOK, GMAIL], ids=["outlook", "gmail"])
def test_a_signature_logo_shown_by_the_body_is_not_one_of_the_emails_documents(
    config: Config, tmp_path: Path, picture: tuple[str, str]
) -> None:
    referral = sample(6, "clean", config)
    files = attachments(referral)
    elsewhere = config.under(tmp_path / "plain")
    elsewhere.paths.inbox.mkdir(parents=True)
    plain = run_one(elsewhere, "plain.eml", email_bytes(referral, files))

    record = run_one(config, "html.eml", html_email(referral, files, picture))

    assert [d["filename"] for d in record["documents"]] == [n for n, _ in files]
    assert not [f for f in record["findings"] if picture[0] in str(f)]
    assert codes(record) == codes(plain)


def test_a_note_whose_only_picture_is_its_signature_logo_has_no_attachments(
    config: Config,
) -> None:
    referral = sample(7, "clean", config)

    record = run_one(config, "note.eml", html_email(referral, []))

    assert record["documents"] == []
    (missing,) = [f for f in record["findings"] if f["code"] == "missing_document"]
    assert missing["message"].startswith("This email has no attachments")


def test_the_signature_logo_stays_in_the_stored_email(config: Config, tmp_path: Path) -> None:
    referral = sample(8, "clean", config)
    raw = html_email(referral, attachments(referral))
    store = BlobStore(tmp_path / "store")
    incoming = Incoming(
        source="test", ref="m.eml", filename="m.eml", data=raw, arrived_at=referral.received_at
    )

    message = parse_incoming(incoming, store)

    stored = email.message_from_bytes(store.read(message.sha256))
    pictures = [
        p.get_payload(decode=True) for p in stored.walk() if p.get_content_type() == "image/png"
    ]
    assert pictures == [logo_png()]


@pytest.mark.parametrize(
    ("shown", "disposition"),
    [(False, "inline"), (True, "attachment"), (False, "attachment")],
    ids=["inline-not-shown", "attachment-shown", "attachment-not-shown"],
)
def test_a_picture_the_body_does_not_show_inline_is_kept_as_an_attachment(
    config: Config, tmp_path: Path, shown: bool, disposition: str
) -> None:
    referral = sample(9, "clean", config)
    files = attachments(referral)

    names = attachment_names(
        tmp_path, html_email(referral, files, shown=shown, disposition=disposition)
    )

    assert names == [OUTLOOK[0], *(n for n, _ in files)]


def test_a_signature_logo_shown_by_an_attached_outlook_messages_body_is_not_a_document(
    config: Config,
) -> None:
    referral = sample(10, "clean", config)
    files = attachments(referral)

    record = run_one(
        config, "msg.eml", email_bytes(referral, [("Referral.msg", outlook_message(files))])
    )

    assert [d["filename"] for d in record["documents"]] == ["Referral.msg", *(n for n, _ in files)]
    assert "missing_document" not in codes(record)


@pytest.mark.parametrize(
    "src",
    ["cid:image001.png%4001DC3A2B.5E6F7A80", "CID:IMAGE001.PNG@01DC3A2B.5E6F7A80"],
    ids=["percent-encoded", "upper-case"],
)
def test_a_picture_shown_by_any_spelling_of_its_cid_url_is_part_of_the_body(
    config: Config, tmp_path: Path, src: str
) -> None:
    referral = sample(11, "clean", config)
    files = attachments(referral)

    names = attachment_names(tmp_path, html_email(referral, files, src=src))

    assert names == [n for n, _ in files]
