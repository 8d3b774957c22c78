"""Common value types of the cluster's forms: how a school's writing becomes a typed value.

Each type is an ``Annotated`` pydantic type whose ``BeforeValidator`` reads the many ways a
school writes a value (SPEC section 4) and whose ``Kind`` marker says which SPEC type it is.
A parser raises ``ValueError`` with a sentence a school can act on.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from dateutil import parser as dateparser
from pydantic import AfterValidator, BeforeValidator
from rapidfuzz import fuzz, process


class Kind(StrEnum):
    text = "text"
    longtext = "longtext"
    date = "date"
    money = "money"
    int = "int"
    number = "number"
    percent = "percent"
    yesno = "yesno"
    choice = "choice"
    email = "email"
    list = "list"


PLACEHOLDER_TEXTS = (
    "click or tap here to enter text",
    "click or tap to enter a date",
    "click here to enter text",
    "choose an item",
    "enter text here",
)
EMPTY_MARKERS = {"", "n/a", "na", "n.a.", "-", "--", "none given", "tbc"}

TICKED = "☒☑✓✔✗✘■"
UNTICKED = "☐□"


def blank(raw: object) -> bool:
    """True when a cell holds nothing a reader would call a value (placeholders included)."""
    if raw is None:
        return True
    text = clean_text(str(raw)).lower().rstrip(".")
    return text in EMPTY_MARKERS or any(text.startswith(p) for p in PLACEHOLDER_TEXTS)


def clean_text(raw: str) -> str:
    return re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip()


def _text(raw: Any) -> str:
    if blank(raw):
        raise ValueError("is empty")
    return clean_text(str(raw))


def _longtext(raw: Any) -> str:
    if blank(raw):
        raise ValueError("is empty")
    return "\n".join(clean_text(line) for line in str(raw).splitlines() if line.strip())


# --- dates -------------------------------------------------------------------------------

_DATE_NOISE = re.compile(r"(?<=\d)(st|nd|rd|th)\b", re.IGNORECASE)
_DOTTED = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$")


def parse_uk_date(raw: Any) -> date:
    """Read a date the way a UK school writes it: day first, two- or four-digit years."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = clean_text(str(raw))
    if not text:
        raise ValueError("is empty")
    dotted = _DOTTED.match(text)
    if dotted:
        day, month, year = (int(part) for part in dotted.groups())
        if year < 100:
            year += 2000 if year <= (date.today().year % 100) + 1 else 1900
        try:
            return date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"'{text}' is not a real date (day/month/year)") from exc
    text = re.sub(r"\bsept\b", "sep", _DATE_NOISE.sub("", text), flags=re.IGNORECASE)
    try:
        iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None
        return dateparser.parse(text, dayfirst=not iso, yearfirst=iso).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"'{text}' is not a date we can read; write it as DD/MM/YYYY") from exc


# --- numbers -----------------------------------------------------------------------------

_MONEY = re.compile(r"^-?£?\s*-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?£?\s*-?\d+(\.\d+)?$")


def parse_money(raw: Any) -> float:
    """Pounds as a number: '£1,234.50' and '1234.5' are fine, '£1.2k' is not."""
    if isinstance(raw, bool):
        raise ValueError("is not an amount of money")
    if isinstance(raw, int | float):
        return round(float(raw), 2)
    text = clean_text(str(raw)).replace("GBP", "£").replace(" ", "")
    if text.endswith((".00p", "p")) and not text.startswith("£"):
        raise ValueError(f"'{raw}' is not an amount in pounds; write it like £1,234.50")
    if not _MONEY.match(text):
        raise ValueError(
            f"'{clean_text(str(raw))}' is not an amount in pounds; write it like £1,234.50"
        )
    return round(float(text.replace("£", "").replace(",", "")), 2)


def parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError("is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = clean_text(str(raw))
    if re.fullmatch(r"-?\d+(\.0+)?", text):
        return int(float(text))
    words = {
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
    if text.lower() in words:
        return words[text.lower()]
    raise ValueError(f"'{text}' is not a whole number")


def parse_number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError("is not a number")
    if isinstance(raw, int | float):
        return float(raw)
    text = clean_text(str(raw)).replace(",", "")
    try:
        return float(text)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a number") from exc


def parse_percent(raw: Any) -> float:
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


# --- yes/no ------------------------------------------------------------------------------

_YES = {"yes", "y", "true", "ticked", "x", "agreed", "given"}
_NO = {"no", "n", "false", "unticked", "not given"}
_TICK_TOKEN = re.compile(rf"[{TICKED}{UNTICKED}]|\[\s*x?\s*\]|\bx\b|\byes\b|\bno\b", re.IGNORECASE)


def parse_yesno(raw: Any) -> bool:
    """Yes/No, Y/N, or ticked boxes: '☒ Yes ☐ No', 'Yes ☒  No ☐', a lone '☒' or 'X'."""
    if isinstance(raw, bool):
        return raw
    text = clean_text(str(raw))
    lowered = text.lower().rstrip(".")
    if lowered in _YES or lowered in set(TICKED):
        return True
    if lowered in _NO or lowered in set(UNTICKED):
        return False
    ticked_words = _ticked_words(text)
    if len(ticked_words) == 1:
        return ticked_words.pop() == "yes"
    if lowered.startswith("yes"):
        return True
    if lowered.startswith("no"):
        return False
    raise ValueError(f"'{text}' is not Yes or No")


def _box_token(token: str) -> str:
    if token in ("yes", "no"):
        return token
    return "☒" if token in TICKED or "x" in token else "☐"


def _ticked_words(text: str) -> set[str]:
    """Words of 'Yes'/'No' options whose box is ticked, reading a box before or after its word."""
    tokens = [_box_token(t.lower()) for t in _TICK_TOKEN.findall(text)]
    boxes_first = bool(tokens) and tokens[0] not in ("yes", "no")
    ticked: set[str] = set()
    for i, token in enumerate(tokens):
        if token not in ("yes", "no"):
            continue
        neighbour = i - 1 if boxes_first else i + 1
        if 0 <= neighbour < len(tokens) and tokens[neighbour] in TICKED:
            ticked.add(token)
    return ticked


# --- choices -----------------------------------------------------------------------------

YEAR_GROUPS = ("Nursery", "Reception", *(f"Year {n}" for n in range(1, 15)))
SEN_STATUSES = ("SEN Support", "EHC plan", "EHC needs assessment in progress")
NEED_AREAS = (
    "Communication and interaction",
    "Cognition and learning",
    "Social, emotional and mental health",
    "Sensory and/or physical",
)
REVIEW_RECOMMENDATIONS = (
    "End funding",
    "Continue funding",
    "Change funding",
    "Request EHC needs assessment",
)
IMPROVEMENT_TYPES = (
    "Sensory spaces or circuits",
    "Accessible outdoor equipment",
    "Inclusive sanitary provision",
    "Acoustic improvements",
    "Restorative or breakout spaces",
    "Spatial sequencing and wayfinding",
    "Access to nature",
    "Lighting, thermal comfort and ventilation",
)

_SYNONYMS = {
    "sen support": "SEN Support",
    "k": "SEN Support",
    "sen k": "SEN Support",
    "ehcp": "EHC plan",
    "ehc plan": "EHC plan",
    "e": "EHC plan",
    "education health and care plan": "EHC plan",
    "ehcna": "EHC needs assessment in progress",
    "ehc needs assessment": "EHC needs assessment in progress",
    "c&i": "Communication and interaction",
    "c and i": "Communication and interaction",
    "sc": "Communication and interaction",
    "c&l": "Cognition and learning",
    "c and l": "Cognition and learning",
    "semh": "Social, emotional and mental health",
    "s&p": "Sensory and/or physical",
    "sensory and physical": "Sensory and/or physical",
    "n": "Nursery",
    "fs1": "Nursery",
    "r": "Reception",
    "rec": "Reception",
    "fs2": "Reception",
}


def _year_group(text: str) -> str | None:
    match = re.fullmatch(r"(?:year|yr|y|ncy)?\s*(\d{1,2})", text.lower().replace(".", ""))
    if match and 1 <= int(match.group(1)) <= 14:
        return f"Year {int(match.group(1))}"
    return None


def match_choice(raw: Any, choices: tuple[str, ...]) -> str:
    """The canonical spelling of a choice written loosely ('SEMH', 'Yr 5', 'ehc plan')."""
    text = clean_text(str(raw)).strip(" .")
    lowered = text.lower()
    exact = {c.lower(): c for c in choices}
    if lowered in exact:
        return exact[lowered]
    synonym = _SYNONYMS.get(lowered) or (_year_group(text) if choices == YEAR_GROUPS else None)
    if synonym in choices:
        return str(synonym)
    best = None
    if not re.search(r"\d", text):
        best = process.extractOne(text, choices, scorer=fuzz.token_set_ratio, processor=str.lower)
    if best and best[1] >= 88:
        return str(best[0])
    raise ValueError(f"'{text}' is not one of: {'; '.join(choices)}")


# --- email -------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


_SPACED_AT = re.compile(r"\s*@\s*")


def parse_email(raw: Any) -> str:
    """An address, lower-cased; spaces around the @ (as OCR and some typists leave) dropped."""
    text = _SPACED_AT.sub("@", clean_text(str(raw)).removeprefix("mailto:").strip("<>"))
    if not _EMAIL.match(text):
        raise ValueError(f"'{text}' is not an email address")
    return text.lower()


def parse_list(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, list | tuple):
        return tuple(clean_text(str(item)) for item in raw if not blank(item))
    parts = re.split(r"[;\n]|,(?![^()]*\))|\band\b(?=\s+[A-Z])", str(raw))
    items = tuple(clean_text(p).strip(" .") for p in parts if not blank(p))
    if not items:
        raise ValueError("is empty")
    return items


def _choice(choices: tuple[str, ...]) -> BeforeValidator:
    return BeforeValidator(lambda raw: match_choice(raw, choices))


def _ticked_choices(choices: tuple[str, ...]) -> BeforeValidator:
    return BeforeValidator(lambda raw: parse_ticked_choices(raw, choices))


_BOX = re.compile(rf"[{TICKED}{UNTICKED}]|\[\s*[xX✓]?\s*\]")


def parse_ticked_choices(raw: Any, choices: tuple[str, ...]) -> tuple[str, ...]:
    """The ticked options of a list of boxes, in the order the choices are listed.

    Reads '☒ Sensory spaces or circuits ☐ Access to nature' (box before its words), lines
    like 'Sensory spaces or circuits ☒' (box after), and, with no boxes at all, a plain list
    of the options chosen ('Acoustic improvements; Access to nature').
    """
    if isinstance(raw, list | tuple):
        raw = "\n".join(str(item) for item in raw)
    text = str(raw).replace("\u00a0", " ")
    if blank(text):
        raise ValueError("is empty")
    if not _BOX.search(text):
        picked = [_choice_or_items(part, choices) for part in re.split(r"[;\n]", text)]
        return _in_order([c for part in picked for c in part], choices)
    boxes = list(_BOX.finditer(text))
    box_first = not text[: boxes[0].start()].strip(" \t|:-")
    ticked: list[str] = []
    for i, box in enumerate(boxes):
        if box_first:
            end = boxes[i + 1].start() if i + 1 < len(boxes) else len(text)
            words = text[box.end() : end]
        else:
            words = text[boxes[i - 1].end() if i else 0 : box.start()]
        words = clean_text(words).strip(" |:;,.-")
        if words and _is_ticked(box.group()):
            ticked.append(match_choice(words, choices))
    if not ticked:
        raise ValueError("no box is ticked; tick at least one")
    return _in_order(ticked, choices)


def _is_ticked(box: str) -> bool:
    return box in TICKED or any(mark in box for mark in "xX✓")


def _choice_or_items(part: str, choices: tuple[str, ...]) -> list[str]:
    """The options of one part: written out in full, else its comma-separated items each
    matched, else the whole part taken as one option."""
    if blank(part):
        return []
    written = _written_choices(part, choices)
    if written:
        return written
    items = parse_list(part)
    if len(items) > 1:
        with contextlib.suppress(ValueError):
            return [match_choice(item, choices) for item in items]
    return [match_choice(part, choices)]


def _written_choices(part: str, choices: tuple[str, ...]) -> list[str]:
    """The options written out in full, when they are all the part holds besides commas and
    'and': options with commas of their own ('Lighting, thermal comfort and ventilation')
    cannot be told apart by splitting at commas."""
    rest, found = f" {clean_text(part).lower()} ", []
    for choice in sorted(choices, key=len, reverse=True):
        spelled = f" {choice.lower()}"
        if spelled in rest:
            found.append(choice)
            rest = rest.replace(spelled, " ;")
    leftover = re.sub(r"\band\b|[\s,;.]", "", rest)
    return found if found and not leftover else []


def _in_order(picked: list[str], choices: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in choices if c in picked)


def parse_setting_names(raw: Any) -> tuple[str, ...]:
    """Setting names one a line, or separated by ';' or ','; 'and' stays inside a name."""
    if isinstance(raw, list | tuple):
        items = [clean_text(str(item)) for item in raw]
    else:
        items = [clean_text(p) for p in re.split(r"[;\n]|,(?![^()]*\))", str(raw))]
    names = tuple(item.strip(" .") for item in items if not blank(item))
    if not names:
        raise ValueError("is empty")
    return names


def _at_least_one(items: tuple[str, ...]) -> tuple[str, ...]:
    if not items:
        raise ValueError("needs at least one ticked box")
    return items


Text = Annotated[str, Kind.text, BeforeValidator(_text)]
LongText = Annotated[str, Kind.longtext, BeforeValidator(_longtext)]
UKDate = Annotated[date, Kind.date, BeforeValidator(parse_uk_date)]
Money = Annotated[float, Kind.money, BeforeValidator(parse_money)]
Int = Annotated[int, Kind.int, BeforeValidator(parse_int)]
Number = Annotated[float, Kind.number, BeforeValidator(parse_number)]
Percent = Annotated[float, Kind.percent, BeforeValidator(parse_percent)]
YesNo = Annotated[bool, Kind.yesno, BeforeValidator(parse_yesno)]
Email = Annotated[str, Kind.email, BeforeValidator(parse_email)]
TextList = Annotated[tuple[str, ...], Kind.list, BeforeValidator(parse_list)]
SettingNames = Annotated[tuple[str, ...], Kind.list, BeforeValidator(parse_setting_names)]
YearGroup = Annotated[str, Kind.choice, _choice(YEAR_GROUPS)]
SenStatus = Annotated[str, Kind.choice, _choice(SEN_STATUSES)]
NeedArea = Annotated[str, Kind.choice, _choice(NEED_AREAS)]
Recommendation = Annotated[str, Kind.choice, _choice(REVIEW_RECOMMENDATIONS)]
ImprovementTypes = Annotated[
    tuple[str, ...], Kind.list, _ticked_choices(IMPROVEMENT_TYPES), AfterValidator(_at_least_one)
]
