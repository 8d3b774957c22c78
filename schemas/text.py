"""Text as schools write it: blanks and placeholders, free text, addresses and lists.

A parser raises ``ValueError`` with a sentence a school can act on.
"""

from __future__ import annotations

import re
from functools import lru_cache

PLACEHOLDER_TEXTS = (
    "click or tap here to enter text",
    "click or tap to enter a date",
    "click here to enter text",
    "choose an item",
    "enter text here",
)
EMPTY_MARKERS = {"", "n/a", "na", "n.a.", "-", "--", "none given", "tbc"}


def blank(raw: object) -> bool:
    """True when a cell holds nothing a reader would call a value (placeholders included)."""
    if raw is None:
        return True
    return _blank_text(raw if isinstance(raw, str) else str(raw))


@lru_cache(maxsize=65_536)  # the same texts are asked about again as records are read
def _blank_text(raw: str) -> bool:
    text = clean_text(raw).lower().rstrip(".")
    return text in EMPTY_MARKERS or any(text.startswith(p) for p in PLACEHOLDER_TEXTS)


def clean_text(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip()


def parse_text(raw: object) -> str:
    if blank(raw):
        raise ValueError("is empty")
    return clean_text(str(raw))


def parse_longtext(raw: object) -> str:
    if blank(raw):
        raise ValueError("is empty")
    return "\n".join(clean_text(line) for line in str(raw).splitlines() if line.strip())


_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_SPACED_AT = re.compile(r"\s*@\s*")


def parse_email(raw: object) -> str:
    """An address, lower-cased; spaces around the @ (as OCR and some typists leave) dropped."""
    text = _SPACED_AT.sub("@", clean_text(str(raw)).removeprefix("mailto:").strip("<>"))
    if not _EMAIL.match(text):
        raise ValueError(f"'{text}' is not an email address")
    return text.lower()


def parse_list(raw: object) -> tuple[str, ...]:
    if isinstance(raw, list | tuple):
        return tuple(clean_text(str(item)) for item in raw if not blank(item))
    parts = re.split(r"[;\n]|,(?![^()]*\))|\band\b(?=\s+[A-Z])", str(raw))
    items = tuple(clean_text(p).strip(" .") for p in parts if not blank(p))
    if not items:
        raise ValueError("is empty")
    return items


def parse_setting_names(raw: object) -> tuple[str, ...]:
    """Setting names one a line, or separated by ';' or ','; 'and' stays inside a name."""
    if isinstance(raw, list | tuple):
        items = [clean_text(str(item)) for item in raw]
    else:
        items = [clean_text(p) for p in re.split(r"[;\n]|,(?![^()]*\))", str(raw))]
    names = tuple(item.strip(" .") for item in items if not blank(item))
    if not names:
        raise ValueError("is empty")
    return names
