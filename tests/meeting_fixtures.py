"""Fictional meeting packs for the bundle and decision-log tests.

``make_pack(config, cases=30)`` gives a MeetingPack whose cases cycle through IPN (with
provision maps), EHC plan exceptional needs, project-based work and capital bids, with
fictional pupils whose names are distinctive enough to search for ("Zebedee-Quill"), their
dates of birth and UPNs, narratives that mention them, and supporting PDFs (made with
reportlab, some naming the pupil, one a picture with no text) in a store that ``load`` reads.
Every name, number and school detail is made up.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from docx import Document
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfgen.canvas import Canvas
from stdnum.gb import upn as stdnum_upn

from pipeline.config import Config
from pipeline.extract.form import read_located
from pipeline.extract.labels import Located
from pipeline.meetings.finance import finance_for
from pipeline.meetings.models import CaseFile, Finance, MeetingPack, Pupil, ReviewDue
from pipeline.models import (
    ExtractedDocument,
    Finding,
    Line,
    Meeting,
    Provenance,
    RequestType,
    Severity,
    Status,
)
from pipeline.rules.cutoff import cutoff
from schemas import FORMS, LINES, DocumentKind
from schemas.about import parent_name_of

MEETING = date(2025, 12, 11)
FORENAMES = (
    "Amelisande",
    "Barnaby",
    "Clemency",
    "Dashiell",
    "Ottoline",
    "Peregrine",
    "Saffron",
    "Thaddeus",
    "Wilhelmina",
    "Zephyrine",
    "Ignatius",
    "Marigold",
    "Lysander",
    "Persephone",
    "Quentin",
    "Rosalind",
    "Octavius",
    "Cordelia",
    "Evander",
    "Hermione",
)
SURNAMES = (
    "Zebedee-Quill",
    "Fotheringay",
    "O'Kerrigan",
    "Brackenbury",
    "Quartermaine",
    "Ravensworth",
    "Tregothnan",
    "Pemberthy",
    "Loxley-Vane",
    "Thistlewood",
    "Carrowmore",
    "Ellingham",
    "Hollingworth",
    "Kilbride",
    "Mortensen-Hale",
    "Penhallow",
    "Yarborough",
    "Abernethy",
    "Culpepper",
    "Wolstenholme",
)
PARENTS = ("Philippa", "Rupert", "Imogen", "Horatio", "Araminta", "Fenella", "Crispin")
SETTINGS = (
    "Abbey Hulton Primary School",
    "Birches Head Academy",
    "Carmountside Primary School",
    "Eaton Park Academy",
    "Forest Park Primary School",
    "Holden Lane Primary School",
    "Kingsland CofE Academy",
    "Waterside Primary School",
)
KINDS = (
    RequestType.ipn,
    RequestType.ipn,
    RequestType.ipn,
    RequestType.ehcp_exceptional,
    RequestType.project,
    RequestType.capital,
)


@dataclass
class FixturePack:
    pack: MeetingPack
    store: dict[str, bytes] = field(default_factory=dict)

    def load(self, sha256: str) -> bytes:
        return self.store[sha256]

    @property
    def pupils(self) -> list[Pupil]:
        return [c.pupil for c in self.pack.cases if c.pupil is not None]

    @property
    def parent_names(self) -> list[str]:
        return [
            name for c in self.pack.cases for d in c.documents if (name := parent_name_of(d.form))
        ]


def make_pack(
    config: Config,
    cases: int = 30,
    *,
    committed_revenue: float = 60_000.0,
    word_originals: int = 1,
    scanned: int = 1,
) -> FixturePack:
    """A meeting pack of ``cases`` cases; ``word_originals`` cases carry a .docx report."""
    made = FixturePack(pack=_empty_pack())
    files: list[CaseFile] = []
    for number in range(1, cases + 1):
        kind = KINDS[(number - 1) % len(KINDS)]
        files.append(
            _case(made, number, kind, number <= word_originals, number == 2 and scanned > 0)
        )
    finance = finance_for(config, files, committed_revenue, {SETTINGS[0]: 6_000.0})
    made.pack = made.pack.model_copy(update={"cases": tuple(files), "finance": finance})
    return made


def _empty_pack() -> MeetingPack:
    finance = Finance(
        revenue_budget=210_000,
        revenue_committed=0,
        revenue_requested=0,
        capital_fund=175_000,
        capital_cap_per_setting=15_000,
        capital_committed_by_setting={},
        capital_requested_by_setting={},
    )
    return MeetingPack(
        meeting=Meeting(day=MEETING, cutoff=cutoff(MEETING, 10)),
        starts="09:30",
        ends="13:00",
        venue="Virtual (Microsoft Teams)",
        cluster="Central Cluster",
        cases=(),
        reviews_due=_reviews(),
        finance=finance,
    )


def _reviews() -> tuple[ReviewDue, ...]:
    pupil = Pupil(forename="Gwendolyn", surname="Ffoulkes-Drummond", date_of_birth=date(2014, 5, 6))
    return (
        ReviewDue(
            case_ref="CC-2526-0901",
            setting=SETTINGS[3],
            request_type=RequestType.ipn,
            pupil=pupil,
            project_title=None,
            decided_at=date(2025, 10, 16),
            amount_agreed=4_250.0,
            review_date=date(2026, 7, 9),
        ),
        ReviewDue(
            case_ref="CC-2526-0902",
            setting=SETTINGS[4],
            request_type=RequestType.project,
            pupil=None,
            project_title="Nurture breakfast club",
            decided_at=date(2025, 10, 16),
            amount_agreed=12_000.0,
            review_date=date(2026, 7, 9),
        ),
    )


# --- one case -------------------------------------------------------------------------------------


def pupil_of(number: int) -> Pupil:
    born = date(2012, 9, 1) + timedelta(days=97 * number)
    return Pupil(
        forename=FORENAMES[(number - 1) % len(FORENAMES)],
        surname=SURNAMES[(number * 7 - 1) % len(SURNAMES)],
        date_of_birth=born,
        upn=_upn(f"861{4000 + number:04d}{born.year % 100:02d}{number:03d}"),
    )


def _upn(tail: str) -> str:
    """A valid UPN: the check letter stdnum computes, then LA 861 and eleven more digits."""
    return stdnum_upn.calc_check_digit(tail) + tail


def _case(made: FixturePack, number: int, kind: RequestType, word: bool, scan: bool) -> CaseFile:
    ref = f"CC-2526-{number:04d}"
    setting = SETTINGS[number % len(SETTINGS)]
    received = datetime(2025, 11, 3, 9, 0) + timedelta(hours=number)
    pupil = pupil_of(number) if kind in (RequestType.ipn, RequestType.ehcp_exceptional) else None
    amount = (
        3_000.0 + 350.0 * number
        if pupil
        else (9_000.0 + 250 * number if kind is RequestType.capital else 15_000.0)
    )
    documents = _documents(made, ref, kind, setting, pupil, amount, number)
    if word:
        documents.append(_stored(made, "Speech and language report.docx", _docx(ref, pupil)))
    if scan:
        documents.append(_stored(made, "Scanned letter.pdf", _picture_pdf()))
    findings = _findings(number, documents[0].filename)
    return CaseFile(
        case_ref=ref,
        request_type=kind,
        status=Status.incomplete
        if any(f.severity is Severity.error for f in findings)
        else Status.complete,
        setting=setting,
        received_at=received,
        meeting=MEETING,
        amount_requested=amount,
        pupil=pupil,
        project_title=None
        if pupil
        else f"{'Sensory garden' if kind is RequestType.capital else 'Reading recovery'} {number}",
        documents=tuple(documents),
        findings=tuple(findings),
        accepted=(
            Finding(
                code="consent_stale",
                severity=Severity.warning,
                field="consent_date",
                document=documents[0].filename,
                message=(
                    "Consent was given over a year ago; "
                    "the admin confirmed it was renewed by phone."
                ),
            ),
        )
        if number % 4 == 0
        else (),
    )


def _findings(number: int, document: str) -> list[Finding]:
    findings = [
        Finding(
            code="short_narrative",
            severity=Severity.warning,
            field="child_views",
            document=document,
            message=(
                "Views of the child or young person has 12 "
                "words; please give more detail (at least 20 words)."
            ),
        ),
    ]
    if number % 5 == 0:
        findings.append(
            Finding(
                code="missing_field",
                severity=Severity.error,
                field="headteacher_signature",
                document=document,
                message=(
                    "Headteacher signature is empty; the headteacher must sign the declaration."
                ),
            ),
        )
    if number % 7 == 0:
        findings.append(
            Finding(
                code="upn_other_la",
                severity=Severity.info,
                field="upn",
                document=document,
                message="The UPN was allocated by another local authority.",
            ),
        )
    return findings


def _documents(
    made: FixturePack,
    ref: str,
    kind: RequestType,
    setting: str,
    pupil: Pupil | None,
    amount: float,
    number: int,
) -> list[ExtractedDocument]:
    if pupil is not None:
        form = _pupil_form(ref, kind, setting, pupil, amount, number)
        return [
            form,
            _provision_map(ref, setting, pupil, amount),
            _stored(
                made, "Educational psychology report.pdf", _report_pdf(ref, pupil, 3, named=True)
            ),
            _stored(made, "Attendance summary.pdf", _report_pdf(ref, pupil, 2, named=False)),
        ]
    form = _project_form(ref, kind, setting, amount, number)
    return [
        form,
        _stored(made, "Quote.pdf", _report_pdf(ref, None, 2, named=False, landscape_page=True)),
    ]


def _located(values: dict[str, Any], document: str) -> dict[str, Located]:
    source = Provenance(document=document, location="table 1")
    return {k: Located(str(v), v, source) for k, v in values.items()}


def _read(kind: str, values: dict[str, Any], document: str) -> dict[str, Any]:
    """The document's form and provenance, read from the values as extraction reads them."""
    form_type = FORMS[DocumentKind(kind)]
    own = {k: v for k, v in values.items() if k in form_type.model_fields}
    form, fields = read_located(form_type, _located(own, document))
    return {"kind": DocumentKind(kind), "form": form, "fields": fields}


def _line(kind: str, values: dict[str, Any], document: str) -> Line:
    line, fields = read_located(LINES[DocumentKind(kind)], _located(values, document))
    return Line(values=line, fields=fields)


def _pupil_form(
    ref: str, kind: RequestType, setting: str, pupil: Pupil, amount: float, number: int
) -> ExtractedDocument:
    name = f"{pupil.forename} {pupil.surname}"
    parent = f"{PARENTS[number % len(PARENTS)]} {pupil.surname}"
    filename = f"Referral - {name}.docx"
    values: dict[str, Any] = {
        "setting_name": setting,
        "senco_name": "Ms Jo Example",
        "senco_email": "senco@example.sch.uk",
        "headteacher_name": "Mr Sam Sample",
        "pupil_forename": pupil.forename,
        "pupil_surname": pupil.surname,
        "date_of_birth": pupil.date_of_birth,
        "upn": pupil.upn,
        "year_group": f"Year {2 + number % 8}",
        "sen_status": "EHC plan" if kind is RequestType.ehcp_exceptional else "SEN Support",
        "primary_need": "Social, emotional and mental health",
        "looked_after": number % 3 == 0,
        "attendance_percent": 80.0 + number % 15,
        "suspensions_this_year": number % 4,
        "at_risk_of_exclusion": number % 2 == 0,
        "parent_name": parent,
        "parent_consent": True,
        "consent_date": date(2025, 9, 20),
        "parent_views": f"{parent} says {pupil.forename}'s mornings are very hard and that "
        f"{pupil.forename} often refuses to come into school; "
        f"the {pupil.surname} family would like support with transitions.",
        "child_views": f"{pupil.forename} said: I like the quiet room and Miss Example.",
        "needs_summary": (
            f"{name} finds unstructured times overwhelming. {pupil.surname.upper()} struggles "
            f"with regulation after lunch; {pupil.forename} has had {number % 4} suspensions. "
            f"Staff describe {pupil.forename} as creative and kind when calm. "
            f"Born {pupil.date_of_birth:%d/%m/%Y}."
        ),
        "apdr_cycles": 2 + number % 3,
        "support_in_place": (
            "Daily check-in, visual timetable, small-group nurture three times a week."
        ),
        "outcomes_sought": (
            "Fewer incidents of dysregulation; attendance above 90 per cent by the summer term."
        ),
        "funding_use": "A trained teaching assistant for 1:1 regulation sessions and a weekly "
        "play therapist session for two terms.",
        "amount_requested": amount,
        "funding_start": date(2026, 1, 5),
        "funding_end": date(2026, 7, 17),
        "headteacher_signature": "Sam Sample",
        "declaration_date": date(2025, 10, 30),
    }
    if kind is RequestType.ehcp_exceptional:
        values |= {
            "ehcp_date": date(2024, 3, 1),
            "current_topup": 6_400.0,
            "section_f_provision": (
                f"Section F asks for daily speech and language input for {pupil.forename}."
            ),
            "reason": (
                f"{pupil.forename} {pupil.surname}'s needs have grown since the annual review."
            ),
        }
    form_kind = "ehcp_exceptional" if kind is RequestType.ehcp_exceptional else "ipn_referral"
    return ExtractedDocument(
        filename=filename,
        sha256=_sha(ref + filename),
        **_read(form_kind, values, filename),
    )


def _provision_map(ref: str, setting: str, pupil: Pupil, amount: float) -> ExtractedDocument:
    filename = f"Provision map - {pupil.initials}.xlsx"
    total = amount + 6_000.0
    lines = []
    plan = (
        (
            "Social, emotional and mental health",
            "1:1 regulation sessions",
            "Teaching assistant",
            1,
            5,
            30,
            38,
        ),
        ("Communication and interaction", "Lego therapy group", "Teaching assistant", 3, 2, 45, 30),
        (
            "Social, emotional and mental health",
            f"Play therapy ({pupil.forename})",
            "Play therapist",
            1,
            1,
            60,
            30,
        ),
    )
    rates = (18.5, 18.5, 55.0)
    for (area, provision, staff, group, sessions, minutes, weeks), rate in zip(
        plan, rates, strict=True
    ):
        cost = round(sessions * minutes / 60 * weeks * rate / group, 2)
        lines.append(
            _line(
                "provision_map",
                {
                    "area_of_need": area,
                    "provision": provision,
                    "staff_role": staff,
                    "group_size": group,
                    "sessions_per_week": sessions,
                    "minutes_per_session": minutes,
                    "weeks": weeks,
                    "hourly_rate": rate,
                    "annual_cost": cost,
                },
                filename,
            )
        )
    remaining = round(total - sum(float(line.values.annual_cost or 0) for line in lines), 2)
    minutes = round(remaining * 60 / (5 * 38 * 18.5), 1)
    lines.append(
        _line(
            "provision_map",
            {
                "area_of_need": "Cognition and learning",
                "provision": "In-class support",
                "staff_role": "Teaching assistant",
                "group_size": 1,
                "sessions_per_week": 5,
                "minutes_per_session": minutes,
                "weeks": 38,
                "hourly_rate": 18.5,
                "annual_cost": remaining,
            },
            filename,
        )
    )
    values = {
        "setting_name": setting,
        "pupil_name": f"{pupil.forename} {pupil.surname}",
        "upn": pupil.upn,
        "date_of_birth": pupil.date_of_birth,
        "year_group": "Year 4",
        "date_completed": date(2025, 10, 28),
        "total_cost": total,
        "element2_contribution": 6_000.0,
        "amount_requested": amount,
    }
    return ExtractedDocument(
        filename=filename,
        sha256=_sha(ref + filename),
        **_read("provision_map", values, filename),
        lines=tuple(lines),
    )


def _project_form(
    ref: str, kind: RequestType, setting: str, amount: float, number: int
) -> ExtractedDocument:
    if kind is RequestType.capital:
        filename = "Capital bid.pdf"
        values: dict[str, Any] = {
            "setting_name": setting,
            "contact_name": "Ms Jo Example",
            "contact_email": "bursar@example.sch.uk",
            "project_title": f"Sensory garden {number}",
            "improvement_types": ("Sensory spaces or circuits", "Access to nature"),
            "works_description": (
                "Raised planters, a sensory path and a shaded quiet area next to "
                "the nurture room, built by a local contractor over the summer holiday."
            ),
            "ehcp_pupils_benefiting": 6,
            "pupils_benefiting": 48,
            "amount_requested": amount,
            "total_project_cost": amount + 2_500.0,
            "quotes_obtained": 3,
            "strategic_fit": (
                "Supports the cluster priority of inclusive environments for "
                "pupils with sensory needs across the school day."
            ),
            "expected_completion": date(2026, 8, 14),
            "decl_not_revenue": True,
            "decl_not_maintenance": True,
            "decl_not_mobility": True,
            "decl_no_prior_grant": True,
            "headteacher_signature": "Sam Sample",
            "declaration_date": date(2025, 10, 30),
        }
        return ExtractedDocument(
            filename=filename,
            sha256=_sha(ref + filename),
            **_read("capital_bid", values, filename),
        )
    filename = "Project referral.docx"
    values = {
        "setting_name": setting,
        "partner_settings": (SETTINGS[1], SETTINGS[2]),
        "contact_name": "Ms Jo Example",
        "contact_email": "senco@example.sch.uk",
        "project_title": f"Reading recovery {number}",
        "project_description": (
            "A shared reading recovery teacher working across three schools with small groups of "
            "pupils who are not yet reading fluently at the end of Key Stage 1."
        ),
        "pupils_benefiting": 24,
        "amount_requested": amount,
        "project_start": date(2026, 1, 5),
        "project_end": date(2026, 7, 17),
        "headteacher_signature": "Sam Sample",
        "declaration_date": date(2025, 10, 30),
    }
    lines = (
        _line(
            "project_referral",
            {"item": "Reading recovery teacher (0.4 FTE)", "cost": amount - 3_000.0},
            filename,
        ),
        _line(
            "project_referral",
            {"item": "Books and assessment materials", "cost": 3_000.0},
            filename,
        ),
    )
    return ExtractedDocument(
        filename=filename,
        sha256=_sha(ref + filename),
        **_read("project_referral", values, filename),
        lines=lines,
    )


# --- stored files ---------------------------------------------------------------------------------


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(made: FixturePack, filename: str, data: bytes) -> ExtractedDocument:
    sha = hashlib.sha256(data).hexdigest()
    made.store[sha] = data
    return ExtractedDocument(filename=filename, sha256=sha, kind=DocumentKind.supporting)


def _report_pdf(
    ref: str, pupil: Pupil | None, pages: int, *, named: bool, landscape_page: bool = False
) -> bytes:
    out = io.BytesIO()
    size = (letter[1], letter[0]) if landscape_page else A4
    canvas = Canvas(out, pagesize=size)
    title = "Educational psychology report" if named else f"Supporting evidence for {ref}"
    for page in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(60, size[1] - 70, f"{title} (page {page})")
        canvas.setFont("Helvetica", 10)
        lines = [f"Marker {ref} page {page}: observations in class and at unstructured times."]
        if named and pupil is not None and page == 2:
            lines += [
                f"Name: {pupil.forename} {pupil.surname}",
                f"Date of birth: {pupil.date_of_birth:%d/%m/%Y}",
                f"UPN: {pupil.upn}",
            ]
        lines += ["The pupil responds well to a predictable routine and adult co-regulation."] * 30
        for row, line in enumerate(lines):
            canvas.drawString(60, size[1] - 100 - 14 * row, line)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _picture_pdf() -> bytes:
    """A 'scan': shapes only, no text layer."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for row in range(20):
        canvas.rect(60, 700 - row * 30, 400 - (row % 5) * 40, 10, fill=1)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _docx(ref: str, pupil: Pupil | None) -> bytes:
    document = Document()
    document.add_heading("Speech and language therapy report", 1)
    who = f"{pupil.forename} {pupil.surname}" if pupil else "the pupils"
    document.add_paragraph(f"Case {ref}. Report on {who} after six sessions of therapy.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
