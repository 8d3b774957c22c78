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
    values = [(k, v.value) for d in documents for k, v in d.fields.items() if v.value is not None]
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


def _pupil(pupil: Pupil | None, documents: list[ExtractedDocument]) -> Person | None:
    spellings: list[str] = []
    if pupil is not None:
        spellings.append(" ".join(p for p in (pupil.forename, pupil.surname) if p))
    for document in documents:
        forename, surname = document.value("pupil_forename"), document.value("pupil_surname")
        spellings.append(" ".join(str(p) for p in (forename, surname) if p))
        spellings += [str(document.value(f)) for f in _PUPIL_NAME if document.value(f)]
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


def _address_lines(address: str) -> list[str]:
    """The lines of a home address that identify: those with a house number or name."""
    lines = [line.strip() for line in re.split(r"[\n,]", address)]
    return [
        line
        for line in lines
        if re.search(r"\d", line)
        and re.search(r"[^\W\d]{2}", line)
        and not _POSTCODE.fullmatch(line)
    ]


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))
