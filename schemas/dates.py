"""Dates as a UK school writes them: day first, two- or four-digit years, words or digits;
a four-digit year written first is year/month/day."""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime

from dateutil import parser as dateparser

from schemas.text import clean_text

_DATE_NOISE = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DOTTED = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")
# A four-digit year first is always year/month/day (ISO 8601 order), whatever the separator.
_YEAR_FIRST = re.compile(r"^(\d{4})\s*[./\- ]\s*(\d{1,2})\s*[./\- ]\s*(\d{1,2})$")
_STARTS_WITH_YEAR = re.compile(r"^\d{4}\b")


def parse_uk_date(raw: object) -> date:
    """Read a date the way a UK school writes it: day first, two- or four-digit years."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = clean_text(str(raw))
    if not text:
        raise ValueError("is empty")
    if _ISO.match(text):  # as stored in the register: read again on every load, so read fast
        with contextlib.suppress(ValueError):
            return date.fromisoformat(text)
    year_first = _YEAR_FIRST.match(text)
    if year_first:
        year, month, day = (int(part) for part in year_first.groups())
        return _real_date(year, month, day, text, "year/month/day")
    dotted = _DOTTED.match(text)
    if dotted:
        day, month, year = (int(part) for part in dotted.groups())
        if year < 100:
            year += 2000 if year <= (date.today().year % 100) + 1 else 1900
        return _real_date(year, month, day, text, "day/month/year")
    text = re.sub(r"\bsept\b", "sep", _DATE_NOISE.sub("", text), flags=re.IGNORECASE)
    try:
        year_leads = _STARTS_WITH_YEAR.match(text) is not None
        return dateparser.parse(text, dayfirst=not year_leads, yearfirst=year_leads).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"'{text}' is not a date we can read; write it as DD/MM/YYYY") from exc


def _real_date(year: int, month: int, day: int, text: str, order: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a real date ({order})") from exc
