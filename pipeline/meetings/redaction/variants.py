"""Patterns that find one identifier in every way a person writes it, on folded text.

Each pattern runs on :func:`~pipeline.meetings.redaction.fold.fold` output (no accents,
lower case, plain apostrophes and dashes), so case and accents need no alternatives here.
Names: apostrophes kept, dropped or spaced ("O'Brien", "OBrien", "O Brien"); hyphens kept,
spaced or dropped; a dot after an initial optional. Dates of birth: every common English
writing. Numbers: with or without spaces and dashes between their characters.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from pipeline.meetings.redaction.fold import fold_plain

_BEFORE = r"(?<!\w)"
_AFTER = r"(?!\w)"
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


@cache
def name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(_BEFORE + _name_body(name) + r"(?:s(?='))?" + _AFTER)


@cache
def glued_name_pattern(name: str) -> re.Pattern[str]:
    """The name run on from a word before it ("Pupil nameOla"), as text from a narrow
    spreadsheet column converted for the bundle reads; the caller checks the capital."""
    return re.compile(r"(?<=[a-z])" + _name_body(name) + r"(?:s(?='))?" + _AFTER)


def _name_body(name: str) -> str:
    pieces: list[str] = []
    for char in fold_plain(name):
        if char == "'":
            pieces.append(r"(?:'\s?|\s)?")
        elif char == "-":
            pieces.append(r"(?:\s*-\s*|\s+)?")
        elif char == ".":
            pieces.append(r"\.?\s*")
        elif char.isspace():
            if not pieces or pieces[-1] != r"\.?\s*":
                pieces.append(r"\s+")
        else:
            pieces.append(re.escape(char))
    return "".join(pieces)


@cache
def date_pattern(day: date) -> re.Pattern[str]:
    """The date in d/m/y (any separator, 2- or 4-digit year), ordinal, worded and ISO forms."""
    d = rf"0?{day.day}"
    m = rf"0?{day.month}"
    year = rf"(?:{day.year}|'?{day.year % 100:02d})"
    long = MONTHS[day.month - 1]
    month = rf"(?:{long}|{long[:3]}|{long[:4]})\.?"
    ordinal = rf"{d}(?:st|nd|rd|th)?"
    sep = r"\s*[/.\-\\ ]\s*"
    wsep = r"(?:\s*[\s/.\-,]\s*)"
    forms = (
        rf"{d}{sep}{m}{sep}{year}",
        rf"{ordinal}{wsep}(?:of\s+)?{month}{wsep}{year}",
        rf"{month}{wsep}(?:the\s+)?{ordinal}{wsep}{year}",
        rf"{day.year}{sep}0?{day.month}{sep}0?{day.day}",
    )
    # Only a digit may not touch it: a narrow spreadsheet column glues its label to the value
    # ("Date of bir04/03/2016") when it is converted for the bundle.
    return re.compile(r"(?<!\d)(?:" + "|".join(forms) + r")(?!\d)")


@cache
def number_pattern(number: str) -> re.Pattern[str]:
    compact = re.sub(r"[^0-9a-z]", "", fold_plain(number))
    spaced = r"[\s\-]?".join(re.escape(c) for c in compact)
    return re.compile(rf"(?<!\w){spaced}(?!\w)")


@cache
def phone_pattern(number: str) -> re.Pattern[str]:
    """A listed phone number, also written with +44 instead of its leading 0."""
    digits = re.sub(r"\D", "", number)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    rest = r"[\s\-()]*".join(digits[1:])
    return re.compile(rf"(?<![\w+])(?:\(?0|\+\s*44\s*(?:\(0\))?)[\s\-()]*{rest}(?!\d)")


_STREET = {
    "road": "rd", "street": "st", "avenue": "ave", "lane": "ln", "close": "cl", "drive": "dr",
    "crescent": "cres", "grove": "gr", "place": "pl", "terrace": "ter", "gardens": "gdns",
    "court": "ct", "square": "sq",
}  # fmt: skip


@cache
def address_pattern(line: str) -> re.Pattern[str]:
    """An address line ("14 Hill Road") with its street word in full or short, any spacing."""
    words = re.findall(r"\w+", fold_plain(line))
    pieces = []
    for word in words:
        short = _STREET.get(word) or next((k for k, v in _STREET.items() if v == word), None)
        pieces.append(rf"(?:{word}|{short})\.?" if short else re.escape(word))
    return re.compile(r"(?<!\w)" + r"[\s,.\-]*".join(pieces) + r"(?!\w)")
