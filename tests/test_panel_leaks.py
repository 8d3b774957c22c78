"""The panel edition leaks no identifier of 30 awkwardly named pupils, and changes no other word.

The pupils come from ``adversarial`` (which shares no code with the redactor). Each case's
pages are found by their case reference; every identifier is searched for in each variant as
a run of folded words (so "O Brien", "OBRIEN" and "O’Brien" are all the same probe), in the
text pdftotext reads and in every string and stream of the file.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from adversarial import (
    COMMON,
    DECOYS,
    KNOWN_SENTENCES,
    Made,
    identifier_variants,
    pupils,
    report_docx,
    report_pdf,
    report_scan,
    sentences,
    sha,
)
from meeting_fixtures import FixturePack, _empty_pack, _line, _read

from pipeline.config import Config
from pipeline.meetings.bundle import build_meeting_outputs
from pipeline.meetings.convert import libreoffice
from pipeline.meetings.models import CaseFile, Pupil
from pipeline.models import ExtractedDocument, RequestType, Status
from pipeline.read import tesseract

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="poppler-utils (pdftotext) is not installed",
)
PARTICLES = {"van", "der", "le", "st", "o", "al", "mc", "ni", "s"}
SENCO_CASE = 2  # the pupil whose SENCo shares the pupil's surname (O'Neill)
CASE_REF = re.compile(r"CC-2526-\d{4}")


def _initials(name: str, apostrophe_splits: bool) -> str:
    words = re.split(r"[\s\-'’]+" if apostrophe_splits else r"[\s\-]+", name)
    return "".join(w[0].upper() for w in words if w)


INITIALS = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            {
                _initials(name, split)
                for p in pupils(30)
                for name in (f"{p.forename} {p.surname}", *p.parent_names)
                for split in (True, False)
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)


@dataclass
class Built:
    people: list[Made]
    panel: Path
    full: Path
    panel_text: str
    panel_pages: dict[str, str]
    full_pages: dict[str, str]


def _ref(made: Made) -> str:
    return f"CC-2526-{made.number:04d}"


@pytest.fixture(scope="module")
def built(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Built:
    people = pupils(30)
    made = FixturePack(pack=_empty_pack())
    cases = [_case(made, person) for person in people]
    made.pack = made.pack.model_copy(update={"cases": tuple(cases)})
    out = tmp_path_factory.mktemp("leaks")
    panel, full, _ = build_meeting_outputs(made.pack, shipped_config, made.load, out)
    text = _pdftotext(panel)
    return Built(people, panel, full, text, _pages_by_case(text), _pages_by_case(_pdftotext(full)))


def _case(made: FixturePack, person: Made) -> CaseFile:
    ref = _ref(person)
    form = ExtractedDocument(
        filename=f"Referral - {person.forename} {person.surname}.docx",
        sha256=sha(ref.encode()),
        **_read("ipn_referral", _form_values(person), "form"),
    )
    documents = [
        form,
        _provision_map(person),
        _stored(made, "Teacher report.pdf", report_pdf(person)),
    ]
    if person.number % 10 == 3 and libreoffice() is not None:
        documents.append(_stored(made, f"SALT {person.surname}.docx", report_docx(person)))
    if person.number in (5, 17) and tesseract.available():
        documents.append(_stored(made, "Nurse letter.pdf", report_scan(person)))
    return CaseFile(
        case_ref=ref,
        request_type=RequestType.ipn,
        status=Status.complete,
        setting="Abbey Hulton Primary School",
        received_at=datetime(2025, 11, 3, 9, 0),
        meeting=date(2025, 12, 11),
        amount_requested=4_000.0,
        pupil=Pupil(
            forename=person.forename,
            surname=person.surname,
            date_of_birth=person.born,
            upn=person.upn,
        ),
        documents=tuple(documents),
        findings=(),
    )


def _form_values(person: Made) -> dict[str, Any]:
    senco = "Kelly O'Neill" if person.number == SENCO_CASE + 1 else "Ms Jo Example"
    email = (
        "kelly.oneill@school.example" if person.number == SENCO_CASE + 1 else "senco@school.example"
    )
    return {
        "setting_name": "Abbey Hulton Primary School",
        "senco_name": senco,
        "senco_email": email,
        "pupil_forename": person.forename,
        "pupil_surname": person.surname,
        "preferred_name": person.preferred,
        "date_of_birth": person.born,
        "upn": person.upn,
        "year_group": "Year 5",
        "sen_status": "SEN Support",
        "primary_need": "Social, emotional and mental health",
        "parent_name": person.parent_field,
        "home_address": person.address,
        "parent_phone": person.phone,
        "parent_email": person.email,
        "needs_summary": " ".join(sentences(person)),
        "parent_views": " ".join(_decoys(person)),
        "amount_requested": 4_000.0,
    }


def _provision_map(person: Made) -> ExtractedDocument:
    variants = [v for items in identifier_variants(person).values() for v in items[:10]]
    lines = tuple(
        _line(
            "provision_map",
            {
                "area_of_need": "Social, emotional and mental health",
                "provision": f"Small group work for {variant} and two others",
                "annual_cost": 100.0,
            },
            "Provision map.xlsx",
        )
        for variant in variants[::3]
    )
    values = {
        "pupil_name": f"{person.forename} {person.surname}",
        "upn": person.uln,  # the ULN, as the map's "UPN/ULN" box allows
        "date_of_birth": person.born,
        "amount_requested": 4_000.0,
    }
    return ExtractedDocument(
        filename="Provision map.xlsx",
        sha256=sha(f"map {person.number}".encode()),
        lines=lines,
        **_read("provision_map", values, "Provision map.xlsx"),
    )


def _stored(made: FixturePack, filename: str, data: bytes) -> ExtractedDocument:
    made.store[sha(data)] = data
    return ExtractedDocument(filename=filename, sha256=sha(data), kind="supporting")


def _decoys(person: Made) -> list[str]:
    """The decoy sentences that do not hold one of this family's names as a word."""
    own = {
        w
        for n in (person.forename, person.surname, *person.parent_names)
        for w in re.split(r"[\s-]", n)
    }
    return [d for d in DECOYS if not any(re.search(rf"\b{re.escape(w)}\b", d) for w in own)]


# --- reading the bundles ------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in "■\ufffd")
    text = text.translate(str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}))
    return re.sub(r"['’‘]", "", text).casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(text))


def _runs(text: str, longest: int = 6) -> set[str]:
    """Every run of up to ``longest`` consecutive folded words, joined without spaces; a run
    does not cross the initials that replace a name ("JO JO" is two people, not "Jojo")."""
    found: set[str] = set()
    for piece in INITIALS.split(text):
        words = _words(piece)
        found |= {
            "".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words))
        }
    return found


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def _pages_by_case(text: str) -> dict[str, str]:
    """Each case's pages: those that name one case reference only."""
    by_case: dict[str, str] = {}
    for page in text.split("\f"):
        refs = set(CASE_REF.findall(page))
        if len(refs) == 1:
            ref = refs.pop()
            by_case[ref] = by_case.get(ref, "") + "\n" + page
    return by_case


def _probes(person: Made) -> set[str]:
    """Folded word runs that would give the pupil or family away, names that are also
    ordinary words left to :func:`_capitalised`."""
    found: set[str] = set()
    for kind, items in identifier_variants(person).items():
        for item in items:
            words = re.findall(r"[a-z0-9]+", _fold(item))
            joined = "".join(words)
            if len(joined) >= 6 or (len(joined) >= 3 and not joined.isdigit()):
                found.add(joined)
            if kind in ("pupil", "preferred name") or kind.startswith("parent"):
                found |= {w for w in words if len(w) >= 3 and not w.isdigit()}
    for item in person.unlisted.values():
        found.add("".join(re.findall(r"[a-z0-9]+", _fold(item))))
    ordinary = {"mr", "mrs", "ms", "the", "family", "upn", "tel", "mailto", "com", "example"}
    return {p for p in found if p not in COMMON | PARTICLES | ordinary}


def _capitalised(person: Made, text: str) -> list[str]:
    """The family's names that are also words, where written as a name (capital, not a date)."""
    names = {
        w
        for n in (person.forename, person.surname, *person.parent_names)
        for w in re.split(r"[\s-]", n)
        if w.casefold() in COMMON
    }
    found = []
    for name in names:
        for match in re.finditer(rf"\b(?:{name}|{name.upper()})\b(?!\s+\d)", text):
            if not re.search(r"\d\s*$", text[max(0, match.start() - 4) : match.start()]):
                found.append(match.group())
    return found


def _leaks(person: Made, text: str) -> list[str]:
    return sorted((_probes(person) & _runs(text)) | set(_capitalised(person, text)))


def _object_text(path: Path) -> str:
    """Every string of the file: in its dictionaries and arrays (titles, annotations, form
    values, metadata) and in the text operators of every page and form XObject. Binary streams
    (fonts, pictures) are left out: their bytes spell random words."""
    parts: list[str] = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                parts += _strings(obj)
            if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == pikepdf.Name.Metadata:
                parts.append(obj.read_bytes().decode("utf-8", "replace"))
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Form:
                parts += _shown(obj)
        for page in pdf.pages:
            parts += _shown(page)
    return "\n".join(parts)


def _strings(obj: Any) -> list[str]:
    values = obj.values() if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) else obj
    found = []
    for value in values:
        if isinstance(value, pikepdf.String):
            found.append(str(value))
        elif isinstance(value, pikepdf.Array | pikepdf.Dictionary) and not value.is_indirect:
            found += _strings(value)
    return found


def _shown(content: Any) -> list[str]:
    """The strings a content stream shows (Tj, TJ, ', ")."""
    found = []
    for operands, operator in pikepdf.parse_content_stream(content):
        if str(operator) in ("Tj", "TJ", "'", '"'):
            for operand in operands:
                items = operand if isinstance(operand, pikepdf.Array) else [operand]
                found.append(
                    "".join(
                        bytes(i).decode("latin-1") for i in items if isinstance(i, pikepdf.String)
                    )
                )
    return found


# --- the tests ------------------------------------------------------------------------------------


def test_the_probes_find_every_pupil_in_the_full_edition(built: Built) -> None:
    pages = built.full_pages
    missing = [p.number for p in built.people if not _leaks(p, pages[_ref(p)])]
    assert missing == []


def test_panel_edition_text_holds_no_identifier_of_any_pupil(built: Built) -> None:
    pages = built.panel_pages
    leaks = {_ref(p): _leaks(p, pages[_ref(p)]) for p in built.people}
    assert {ref: found for ref, found in leaks.items() if found} == {}


def test_panel_edition_names_no_pupil_anywhere_in_its_text(built: Built) -> None:
    text = subprocess.run(
        ["pdftotext", str(built.panel), "-"], capture_output=True, text=True
    ).stdout
    runs = _runs(text)
    leaks = {p.number: sorted(_probes(p) & runs) for p in built.people}
    assert {n: found for n, found in leaks.items() if found} == {}


def test_panel_edition_objects_and_streams_hold_no_identifier(built: Built) -> None:
    runs = _runs(_object_text(built.panel))
    leaks = {p.number: sorted(_probes(p) & runs) for p in built.people}
    assert {n: found for n, found in leaks.items() if found} == {}


def test_panel_edition_keeps_every_decoy_and_report_sentence(built: Built) -> None:
    pages = built.panel_pages
    missing = []
    for person in built.people:
        text = " ".join(pages[_ref(person)].split())
        for sentence in [*_decoys(person), *KNOWN_SENTENCES]:
            if sentence not in text:
                missing.append((person.number, sentence))
    assert missing == []


def test_panel_edition_changes_no_word_that_is_not_an_identifier(built: Built) -> None:
    full, panel = built.full_pages, built.panel_pages
    changed = []
    for person in built.people:
        kept = set(_words(panel[_ref(person)]))
        words = set(_words(full[_ref(person)])) - kept - EDITION_ONLY
        written = _identifiers_written(person)
        changed += [(person.number, w) for w in sorted(words) if w not in written]
    assert changed == []


# Words only the full edition prints: its marking, and the labels of the fields the panel
# edition leaves out.
EDITION_ONLY = {
    "full",
    "council",
    "use",
    "home",
    "surname",
    "forename",
    "address",
    "phone",
    "telephone",
    "email",
    "uln",
    "upn",
    "birth",
    "preferred",
}


def _identifiers_written(person: Made) -> str:
    """Every identifier of the pupil as written, folded and run together: a word of the full
    edition found in it is an identifier or a piece of one (a name the PDF broke in two).
    The parent field is one too: the panel edition leaves that field out whole."""
    items = [i for v in identifier_variants(person).values() for i in v]
    items += [*person.unlisted.values(), person.address, person.parent_field]
    return " ".join("".join(_words(item)) for item in items)


def test_senco_with_the_pupils_surname_does_not_give_it_away(built: Built) -> None:
    person = built.people[SENCO_CASE]
    assert person.surname == "O'Neill"
    text = _fold(built.panel_pages[_ref(person)])
    assert "oneill" not in text.replace(" ", "")
    assert "kelly" in text
