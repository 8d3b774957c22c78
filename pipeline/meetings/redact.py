"""The panel edition's redaction: pupils and parents become initials, identifiers disappear.

The panel edition of a bundle is shared with every cluster setting, so it names a pupil by
initials and case reference only. :func:`redact_text` is applied to every piece of text that
edition prints: narratives, field values, finding messages, file names. :class:`Identity`
gathers every spelling of a case's names and identifiers from all of its documents (they may
differ: that is what ``identity_mismatch`` reports), and :func:`identifiers_in` tells whether a
supporting document's text still carries any of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from pipeline.meetings.models import CaseFile, Pupil
from schemas import FundingReview, ProvisionMap, PupilAndSetting
from schemas.about import date_of_birth_of, parent_name_of, upn_of

DOB_PLACEHOLDER = "[date of birth]"
UPN_PLACEHOLDER = "[pupil number]"
_MIN_PART = 2  # a name part shorter than this ("A", an initial) is never redacted on its own


def initials_of(name: str) -> str:
    """'Sarah Zebedee-Quill' -> 'SZQ'; apostrophes and hyphens split words."""
    words = re.split(r"[\s\-‐–'’]+", name.strip())
    return "".join(w[0].upper() for w in words if w)


def redact_text(
    text: str,
    pupil: Pupil | None,
    extra_names: Sequence[str] = (),
    *,
    dates_of_birth: Sequence[date] = (),
    pupil_numbers: Sequence[str] = (),
) -> str:
    """The text with the pupil's and each extra person's names replaced by their initials.

    Matching is case-insensitive and by whole word, so "Amy's" becomes "AZQ's" and "Amyas"
    stays; hyphenated and apostrophe names match with any hyphen, dash or apostrophe, and each
    part of a hyphenated name is redacted on its own as well. Full names are replaced before
    their parts. Dates of birth (in the usual UK writings) and pupil numbers (UPN or ULN) are
    replaced by a placeholder.
    """
    people: list[tuple[str, str]] = []
    if pupil is not None:
        full = " ".join(p for p in (pupil.forename, pupil.surname) if p)
        people.append((full, pupil.initials))
        dates_of_birth = (*dates_of_birth, *([pupil.date_of_birth] if pupil.date_of_birth else []))
        pupil_numbers = (*pupil_numbers, *([pupil.upn] if pupil.upn else []))
    people.extend((name, initials_of(name)) for name in extra_names if name.strip())
    for name, initials in _replacements(people):
        text = _name_pattern(name).sub(initials, text)
    for day in dates_of_birth:
        text = _date_pattern(day).sub(DOB_PLACEHOLDER, text)
    for number in pupil_numbers:
        if number.strip():
            text = _number_pattern(number).sub(UPN_PLACEHOLDER, text)
    return text


def _replacements(people: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each full name and each of its parts with the initials to put in its place, longest first."""
    found: dict[str, str] = {}
    for name, initials in people:
        clean = unicodedata.normalize("NFC", name.strip())
        for variant in (clean, *_parts(clean)):
            if len(variant) >= _MIN_PART:
                found.setdefault(variant.casefold(), initials)
    return sorted(found.items(), key=lambda item: -len(item[0]))


def _parts(name: str) -> list[str]:
    words = name.split()
    pieces = [p for w in words for p in re.split(r"[\-‐–]", w) if p]
    return words + [p for p in pieces if p not in words]


@cache
def _name_pattern(name: str) -> re.Pattern[str]:
    pieces = []
    for char in name:
        if char in "-‐–":
            pieces.append(r"\s*[\-‐–]\s*")
        elif char in "'’":
            pieces.append("['’]")
        elif char.isspace():
            pieces.append(r"\s+")
        else:
            pieces.append(re.escape(char))
    return re.compile(r"(?<!\w)" + "".join(pieces) + r"(?!\w)", re.IGNORECASE)


@cache
def _date_pattern(day: date) -> re.Pattern[str]:
    month = day.strftime("%B")
    numeric = (
        rf"0?{day.day}\s*[/.\-]\s*0?{day.month}\s*[/.\-]\s*(?:{day.year}|{day.year % 100:02d})"
    )
    worded = rf"0?{day.day}(?:st|nd|rd|th)?\s+(?:{month}|{month[:3]}|{month[:4]})\.?,?\s+{day.year}"
    iso = rf"{day.year}-{day.month:02d}-{day.day:02d}"
    return re.compile(rf"(?<!\d)(?:{numeric}|{worded}|{iso})(?!\d)", re.IGNORECASE)


@cache
def _number_pattern(number: str) -> re.Pattern[str]:
    compact = re.sub(r"[\s-]", "", number)
    spaced = r"[\s-]?".join(re.escape(c) for c in compact)
    return re.compile(rf"(?<!\w){spaced}(?!\w)", re.IGNORECASE)


# --- everything one case says about who it is about ---------------------------------------------


@dataclass(frozen=True)
class Identity:
    """Every spelling of a case's pupil and parent names, dates of birth and pupil numbers."""

    pupil: Pupil | None
    other_names: tuple[str, ...]
    dates_of_birth: tuple[date, ...]
    pupil_numbers: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """Nothing to protect: a project or capital case that names no pupil."""
        pupil = self.pupil
        named = pupil is not None and any(
            (pupil.forename, pupil.surname, pupil.date_of_birth, pupil.upn)
        )
        return not (named or self.other_names or self.dates_of_birth or self.pupil_numbers)

    def redact(self, text: str) -> str:
        return redact_text(
            text,
            self.pupil,
            self.other_names,
            dates_of_birth=self.dates_of_birth,
            pupil_numbers=self.pupil_numbers,
        )


def identity_of(case: CaseFile) -> Identity:
    """The case's pupil plus every name, date of birth and UPN its documents give."""
    names: list[str] = []
    dobs: list[date] = []
    numbers: list[str] = []
    for document in case.documents:
        form = document.form
        if isinstance(form, PupilAndSetting) and (form.pupil_forename or form.pupil_surname):
            names.append(" ".join(p for p in (form.pupil_forename, form.pupil_surname) if p))
        whole = form.pupil_name if isinstance(form, ProvisionMap | FundingReview) else None
        names.extend(v for v in (whole, parent_name_of(form)) if v)
        if (dob := date_of_birth_of(form)) is not None:
            dobs.append(dob)
        if upn := upn_of(form):
            numbers.append(upn)
    return Identity(case.pupil, tuple(dict.fromkeys(names)), tuple(dobs), tuple(numbers))


def identifiers_in(text: str, identity: Identity) -> bool:
    """True when the text still carries a name, date of birth or pupil number of the case.

    Text pulled out of a PDF may break a name over lines or drop the hyphen, so the check is
    made on the text as it is and on the text with every non-letter removed.
    """
    if identity.redact(text) != text:
        return True
    squashed = _squash(text)
    names = [n for n, _ in _replacements(_people(identity)) if len(n) >= 4]
    return any(_squash(name) in squashed for name in names)


def _people(identity: Identity) -> list[tuple[str, str]]:
    pupil = identity.pupil
    full = " ".join(p for p in (pupil.forename, pupil.surname) if p) if pupil else ""
    return [(n, "") for n in (full, *identity.other_names) if n]


def _squash(text: str) -> str:
    return re.sub(r"[^\w]|_", "", unicodedata.normalize("NFC", text)).casefold()
