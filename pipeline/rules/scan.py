"""What the admin and the school are told about a form read by OCR.

A scan read well keeps its field findings, plus one ``low_confidence_value`` (information for
the admin) for each short answer OCR was unsure of: check it against the original. A scan
that yields little is one ``scan_unreadable`` finding saying what was read and asking for the
Word version, instead of a ``missing_field`` for every answer it could not see; its values,
mostly misread, are not kept to be judged by the other rules.
"""

from __future__ import annotations

from pipeline.models import ExtractedDocument, Finding, ReadDocument
from pipeline.read.pdf_formats import FORMAT_OCR
from pipeline.rules import finding
from pipeline.rules.base import form_title
from schemas import FORMS, specs
from schemas.codes import RuleCode
from schemas.types import Kind

UNSURE = 70  # Tesseract's confidence (0-100) in an answer's least certain word
READ_ENOUGH = 0.75  # of a form's required answers, read and valid, for a scan to be usable
FIELD_CODES = frozenset({"missing_field", "invalid_value", "signature_missing", "short_narrative"})
FEW_WORDS = 40  # a scan yielding fewer words than a form's title and a few labels
SUPERSEDED = FIELD_CODES | {"scanned_document"}  # said once, by scan_unreadable


def scan_findings(
    read: ReadDocument, document: ExtractedDocument, findings: list[Finding]
) -> tuple[ExtractedDocument, list[Finding]]:
    """The document and its findings as they stand for a scan (unchanged for any other)."""
    if read.format != FORMAT_OCR or document.kind not in FORMS:
        return document, findings
    wanted = [s for s in specs(FORMS[document.kind]) if s.required]
    unread = {f.field for f in findings if f.code in FIELD_CODES and f.field}
    read_well = [s for s in wanted if s.id not in unread]
    if len(read_well) < READ_ENOUGH * len(wanted):
        kept = [f for f in findings if f.code not in SUPERSEDED and f.field is None]
        empty = document.model_copy(update={"fields": {}, "form": FORMS[document.kind]()})
        return empty, [*kept, _unreadable(document, [s.label for s in read_well], len(wanted))]
    return document, [*findings, *_unsure(read, document)]


def unreadable_unknown_scan(read: ReadDocument) -> Finding | None:
    """One finding for a scan too poor to tell what it is (so it was taken for a supporting
    document); None for a scan that read (a supporting report) or any other file."""
    words = sum(len(p.text.split()) for p in read.paragraphs)
    if read.format != FORMAT_OCR or words >= FEW_WORDS:
        return None
    return finding(
        RuleCode.scan_unreadable, "unknown", document=read.filename, name=read.filename, words=words
    )


def _unreadable(document: ExtractedDocument, read_well: list[str], wanted: int) -> Finding:
    return finding(
        RuleCode.scan_unreadable,
        "form",
        document=document.filename,
        name=document.filename,
        title=form_title(document.kind),
        read=len(read_well),
        wanted=wanted,
        what=f": {', '.join(read_well)}" if read_well else "",
    )


def _unsure(read: ReadDocument, document: ExtractedDocument) -> list[Finding]:
    confidence = {p.location: p.confidence for p in read.paragraphs if p.confidence is not None}
    labels = {s.id: s.label for s in specs(FORMS[document.kind]) if s.kind is not Kind.longtext}
    found = []
    for field_id, value in document.fields.items():
        sure = confidence.get(value.source.location.split(" to ")[0])
        if field_id not in labels or sure is None or sure >= UNSURE or not value.raw:
            continue
        found.append(
            finding(
                RuleCode.low_confidence_value,
                field=field_id,
                document=document.filename,
                label=labels[field_id],
                raw=value.raw,
            )
        )
    return found
