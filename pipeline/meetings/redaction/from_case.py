"""A case's identity, gathered from every document it has had.

Forms and provision maps may spell the pupil differently (that is what ``identity_mismatch``
reports), a later version may correct a date of birth, a parent field may name two people:
every spelling of every document, earlier versions included, goes into the identity. Fields are
found by what their id says ("parent ... name", "... address", "... phone"), so a form that
gains a field is covered without a list to keep up to date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from pipeline.meetings.models import CaseFile, Pupil
from pipeline.meetings.redaction.identity import Identity
from pipeline.meetings.redaction.people import Person, initials_of, names_in, person
from pipeline.models import ExtractedDocument

_PUPIL_NAME = ("pupil_name", "preferred_name", "known_as", "child_name")
_NUMBERS = ("upn", "uln", "nhs_number", "former_upn")
_STAFF = ("senco", "contact", "setting", "school", "headteacher", "teacher", "professional")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)


def identity_of(case: CaseFile) -> Identity:
    documents = [*case.documents, *case.earlier]
    values = [(k, v) for d in documents for k, v in _values(d) if v is not None]
    pupil = _pupil(case.pupil, documents)
    parents = [person(n) for k, v in values if _parent(k) for n in names_in(str(v))]
    addresses = [str(v) for k, v in values if _home(k)]
    return Identity(
        people=tuple(p for p in (pupil, *parents) if p is not None and p.names),
        dates_of_birth=_unique(_dates(case.pupil, values)),
        numbers=_unique(str(v) for k, v in values if k in _NUMBERS),
        addresses=_unique(line for a in addresses for line in _address_lines(a)),
        postcodes=_unique(p for a in addresses for p in _POSTCODE.findall(a)),
        phones=_unique(str(v) for k, v in values if _personal(k, ("phone", "mobile", "tel"))),
        emails=_unique(str(v) for k, v in values if _personal(k, ("email",))),
    )


def _values(document: ExtractedDocument) -> list[tuple[str, Any]]:
    """The document's typed values by field id, its lines' values after them."""
    found = list(document.form.model_dump().items()) if document.form is not None else []
    for line in document.lines:
        found += line.values.model_dump().items()
    return found


def _pupil(pupil: Pupil | None, documents: list[ExtractedDocument]) -> Person | None:
    spellings: list[str] = []
    if pupil is not None:
        spellings.append(" ".join(p for p in (pupil.forename, pupil.surname) if p))
    for document in documents:
        values = dict(_values(document))
        forename, surname = values.get("pupil_forename"), values.get("pupil_surname")
        spellings.append(" ".join(str(p) for p in (forename, surname) if p))
        spellings += [str(values[f]) for f in _PUPIL_NAME if values.get(f)]
    spellings = [s for s in dict.fromkeys(spellings) if s.strip()]
    if not spellings:
        return None
    initials = pupil.initials if pupil is not None and pupil.initials else initials_of(spellings[0])
    names = [n for s in spellings for n in person(s).names]
    return Person(tuple(dict.fromkeys(names)), initials)


def _dates(pupil: Pupil | None, values: list[tuple[str, Any]]) -> list[date]:
    found = [v for k, v in values if k == "date_of_birth" and isinstance(v, date)]
    return [pupil.date_of_birth, *found] if pupil and pupil.date_of_birth else found


def _parent(field_id: str) -> bool:
    return ("parent" in field_id or "carer" in field_id) and field_id.endswith("name")


def _home(field_id: str) -> bool:
    return "address" in field_id and "email" not in field_id and not _staff(field_id)


def _personal(field_id: str, words: tuple[str, ...]) -> bool:
    return any(w in field_id for w in words) and not _staff(field_id)


def _staff(field_id: str) -> bool:
    return any(w in field_id for w in _STAFF)


_HOUSE_AND_STREET = re.compile(
    r"\d+[A-Za-z]?,?\s+(?:[^\W\d]+\s+){0,3}?(?:road|rd|street|st|avenue|ave|lane|ln|close|cl|"
    r"drive|dr|crescent|cres|grove|gr|place|pl|terrace|ter|gardens|gdns|court|ct|square|sq|"
    r"way|walk|row|hill|view|rise|mews)\b\.?",
    re.IGNORECASE,
)


def _address_lines(address: str) -> list[str]:
    """The parts of a home address that identify: the house number and street (a form may
    give the address on one line, so the street is found by its number and street word)."""
    found = [m.group().rstrip(".") for m in _HOUSE_AND_STREET.finditer(address)]
    for line in re.split(r"[\n,]", address):
        line = line.strip()
        if re.match(r"\d", line) and re.search(r"[^\W\d]{2}", line) and not found:
            found.append(line)
    return found


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))
