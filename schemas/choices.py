"""The closed lists of the forms (year groups, SEN statuses, needs, ...) and reading a choice.

A choice written loosely ('SEMH', 'Yr 5', 'ehc plan') is matched to its canonical spelling;
a list of tick boxes is read back into the options ticked, in the list's order.
"""

from __future__ import annotations

import contextlib
import re

from rapidfuzz import fuzz, process

from schemas.text import blank, clean_text, parse_list
from schemas.yesno import TICKED, UNTICKED

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


def match_choice(raw: object, choices: tuple[str, ...]) -> str:
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


_BOX = re.compile(rf"[{TICKED}{UNTICKED}]|\[\s*[xX✓]?\s*\]")


def parse_ticked_choices(raw: object, choices: tuple[str, ...]) -> tuple[str, ...]:
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


def at_least_one(items: tuple[str, ...]) -> tuple[str, ...]:
    if not items:
        raise ValueError("needs at least one ticked box")
    return items
