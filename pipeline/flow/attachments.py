"""Each attachment of an email -> a classified, extracted document carrying its own findings.

Blocked file types are never opened; a file that cannot be opened, or that is no cluster
form, is kept as a document with a finding that says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta

from pipeline.cases.assess import LONDON
from pipeline.cases.history import EmailHistory
from pipeline.context import Context
from pipeline.extract.classify import SUPPORTING, classify
from pipeline.extract.cost_lines import extract_cost_lines
from pipeline.extract.form import extract_form
from pipeline.extract.provision_map import extract_provision_map
from pipeline.intake.containers import is_container
from pipeline.intake.filenames import is_blocked
from pipeline.models import Attachment, ExtractedDocument, Finding, Message, ReadDocument
from pipeline.read import Archive, Unreadable
from pipeline.read.active_content import ActiveContent
from pipeline.read.pdf_formats import FORMAT_NO_OCR, FORMAT_OCR, MAX_OCR_PAGES
from pipeline.rules import canonical_setting, check_fields, check_sender_setting, finding
from pipeline.rules.scan import scan_findings, unreadable_unknown_scan
from schemas import FORMS, DocumentKind, is_main_form
from schemas.codes import RuleCode

BLOCKED = DocumentKind.blocked
UNREADABLE = DocumentKind.unreadable
QUARANTINED = DocumentKind.quarantined
ARCHIVE = DocumentKind.archive
CONTAINER = DocumentKind.container  # a forwarded email, winmail.dat or .msg: unpacked at intake
ATTACHED_EMAIL = ("message/rfc822", "message/global")
CLOCK_TOLERANCE = timedelta(hours=24)  # mail queued a while is normal; days apart is not


Reading = Future[ReadDocument | None] | None  # None: an attachment never opened


@dataclass(frozen=True)
class Early:
    """An email stored before its turn, and its attachments' readings if they were begun."""

    message: Message
    readings: tuple[Reading, ...] | None = None  # None: left for its turn

    def cancel(self) -> None:
        """Let go of readings not begun yet (its turn is over, or will not come this run)."""
        for reading in self.readings or ():
            if reading is not None:
                reading.cancel()


def read_attachments(
    message: Message,
    ctx: Context,
    history: EmailHistory,
    readings: Sequence[Reading] | None = None,
) -> list[ExtractedDocument]:
    """Each attachment read; what was wrong with the email itself goes with the first.

    ``readings`` are the attachments handed to the workers already (``start_reading``, by the
    read-ahead while the emails before this one were checked); else they are handed now."""
    if readings is None:
        readings = start_reading(message, ctx)
    documents = [
        read_attachment(a, message, ctx, history, reading)
        for a, reading in zip(message.attachments, readings, strict=True)
    ]
    if documents and (about_email := email_findings(message)):
        first = documents[0]
        findings = (*about_email, *first.findings)
        documents[0] = first.model_copy(update={"findings": findings})
    return documents


def email_findings(message: Message) -> list[Finding]:
    """What was wrong with the email itself: damage, and a Date header far from its arrival."""
    return [
        *([damaged_email(message)] if message.problems else []),
        *date_header_differs(message),
    ]


def damaged_email(message: Message) -> Finding:
    return finding(
        RuleCode.damaged_email,
        problems="; ".join(message.problems),
    )


def date_header_differs(message: Message) -> list[Finding]:
    """A note when the sender's clock (its Date header) is far from when the council received
    the email: the arrival counts, and the admin may want to know the two disagree."""
    claimed = message.dated_at
    if claimed is None or abs(claimed - message.received_at) <= CLOCK_TOLERANCE:
        return []
    return [
        finding(
            RuleCode.date_header_differs,
            claimed=_london_time(claimed),
            received=_london_time(message.received_at),
        )
    ]


def _london_time(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("on %d/%m/%Y at %H:%M")


def quarantined(message: Message) -> list[ExtractedDocument]:
    """The attachments of a quarantined email, listed but never opened."""
    return [unread(attachment, QUARANTINED) for attachment in message.attachments]


def start_reading(message: Message, ctx: Context) -> list[Reading]:
    """Every attachment of the email handed to the parsing workers, to be read side by side."""
    return [_start_reading(a, ctx) for a in message.attachments]


def _start_reading(attachment: Attachment, ctx: Context) -> Reading:
    """The attachment handed to a parsing worker; None for one never opened: a blocked file
    type or an attached email."""
    if is_blocked(attachment.filename, ctx.config.intake.blocked_extensions):
        return None
    if _container(attachment, ctx):
        return None
    # The worker reads the file itself: its bytes are not held here, nor copied to it.
    path = ctx.store.path(attachment.sha256)
    return ctx.parsers.submit(path, attachment.filename, attachment.sha256)


def read_attachment(
    attachment: Attachment,
    message: Message,
    ctx: Context,
    history: EmailHistory,
    reading: Reading,
) -> ExtractedDocument:
    name = attachment.filename
    if is_blocked(name, ctx.config.intake.blocked_extensions):
        return unread(attachment, BLOCKED, _blocked(name))
    findings = _duplicate(attachment, history)
    if reading is None:
        return unread(attachment, CONTAINER, *findings)  # its documents are attachments too
    try:
        # The wait for the worker; the attachments behind it were read meanwhile.
        read = ctx.timings.parse(reading.result)
    except ActiveContent as reason:
        return unread(attachment, BLOCKED, _active(name, reason), *findings)
    except Archive as reason:
        return unread(attachment, ARCHIVE, _unreadable(name, reason), *findings)
    except Unreadable as reason:
        return unread(attachment, UNREADABLE, _unreadable(name, reason), *findings)
    if read is None:
        return unread(attachment, SUPPORTING, _supporting(name), *findings)
    kind = classify(read)
    if kind == SUPPORTING:
        poor_scan = unreadable_unknown_scan(read)
        if poor_scan is not None:
            return unread(attachment, SUPPORTING, poor_scan, *findings)
        return unread(attachment, SUPPORTING, _supporting(name), *findings, *_scanned(read))
    findings += _scanned(read)
    document, setting_findings = canonical_setting(extract(read, kind), ctx.config)
    findings += [*check_fields(document), *setting_findings]
    if is_main_form(kind):
        findings += check_sender_setting(message, document, ctx.config)
    document, findings = scan_findings(read, document, findings)
    return document.model_copy(update={"findings": tuple(findings)})


def _container(attachment: Attachment, ctx: Context) -> bool:
    """A forwarded email, winmail.dat or .msg (the bytes read from the store are checked
    against their hash, and let go before the worker reads them)."""
    if attachment.content_type in ATTACHED_EMAIL:
        return True
    return is_container(ctx.store.read(attachment.sha256))


def extract(read: ReadDocument, kind: DocumentKind) -> ExtractedDocument:
    """The fields (and tables of lines) of a classified form."""
    if kind is DocumentKind.provision_map:
        return extract_provision_map(read)
    document = extract_form(read, FORMS[kind])
    if kind is DocumentKind.project_referral:
        document = document.model_copy(update={"lines": extract_cost_lines(read)})
    return document


def _scanned(read: ReadDocument) -> list[Finding]:
    name = read.filename
    if read.format == FORMAT_OCR and read.pages_unread:
        return [_partly_scanned(read)]
    if read.format == FORMAT_OCR:
        return [finding(RuleCode.scanned_document, "ocr", document=name, name=name)]
    if read.format == FORMAT_NO_OCR:
        return [finding(RuleCode.scanned_document, "no_ocr", document=name, name=name)]
    return []


def _partly_scanned(read: ReadDocument) -> Finding:
    """A scan longer than OCR reads: which pages were read, and that the rest were not."""
    return finding(
        RuleCode.scanned_document,
        "ocr_part",
        document=read.filename,
        name=read.filename,
        read=MAX_OCR_PAGES,
        pages=MAX_OCR_PAGES + read.pages_unread,
        unread=read.pages_unread,
    )


def unread(attachment: Attachment, kind: DocumentKind, *findings: Finding) -> ExtractedDocument:
    return ExtractedDocument(
        filename=attachment.filename, sha256=attachment.sha256, kind=kind, findings=findings
    )


def _unreadable(name: str, reason: Unreadable) -> Finding:
    return finding(RuleCode.unreadable_document, document=name, name=name, reason=reason)


def _active(name: str, reason: ActiveContent) -> Finding:
    return finding(
        RuleCode.blocked_file_type, "active_content", document=name, name=name, reason=reason
    )


def _blocked(name: str) -> Finding:
    return finding(RuleCode.blocked_file_type, document=name, name=name)


def _supporting(name: str) -> Finding:
    return finding(RuleCode.unrecognised_document, document=name, name=name)


def _duplicate(attachment: Attachment, history: EmailHistory) -> list[Finding]:
    earlier = history.earlier_copies.get(attachment.sha256)
    if earlier is None:
        return []
    return [
        finding(
            RuleCode.duplicate_submission,
            document=attachment.filename,
            name=attachment.filename,
            earlier=earlier,
        )
    ]
