"""A spreadsheet cell's value as the forms read it, and its text as a person sees it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from schemas.types import RawValue


def raw_value(value: object) -> RawValue:
    """A cell's value as the forms read it: text, a number, a truth value or a date; any
    other type a spreadsheet holds (a time of day, a date with a time, an error) as its text."""
    if isinstance(value, datetime) and value.time() != datetime.min.time():
        return display_text(value)
    if value is None or isinstance(value, str | int | float | bool | date):
        return value
    return display_text(value)


def display_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
