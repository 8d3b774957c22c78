"""Counts, numbers and percentages as schools write them ('three', '92 %', '1,200')."""

from __future__ import annotations

import re

from schemas.text import clean_text

_NUMBER_WORDS = {
    "none": 0,
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def parse_int(raw: object) -> int:
    if isinstance(raw, bool):
        raise ValueError("is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = clean_text(str(raw))
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(float(text))
    if text.lower() in _NUMBER_WORDS:
        return _NUMBER_WORDS[text.lower()]
    raise ValueError(f"'{text}' is not a whole number")


def parse_number(raw: object) -> float:
    if isinstance(raw, bool):
        raise ValueError("is not a number")
    if isinstance(raw, int | float):
        return float(raw)
    text = clean_text(str(raw)).replace(",", "")
    try:
        return float(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a number") from exc


def parse_percent(raw: object) -> float:
    """'92%', '92' and '92.5 %' are 92 and 92.5; a spreadsheet's 0.92 stays 0.92 (no guessing)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = clean_text(str(raw)).rstrip("%").strip()
        try:
            value = float(text)
        except ValueError as exc:
            raise ValueError(f"'{clean_text(str(raw))}' is not a percentage") from exc
    if not 0 <= value <= 100:
        raise ValueError(f"{value:g}% is not between 0 and 100")
    return value
