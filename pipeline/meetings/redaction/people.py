"""Whole names out of what a form says about people: "Mr and Mrs X" is one person, X.

A parent field holds one or more people, with titles, joining words and relationships:
"Mr and Mrs O'Brien-Smythe", "Sarah and Richard Hill", "Ms Kaur (mum)", "Dad: Tom Jones".
Splitting it into words would make "and", "Mrs" and "mum" look like names; here each person
comes out as a whole name with the titles and relationships left behind, and a forename on its
own ("Sarah" in "Sarah and Richard Hill") takes the surname the last person gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "rev", "revd", "prof", "sir", "dame", "lady", "lord"}
)
RELATIONS = frozenset(
    {
        "mum", "mom", "mother", "dad", "father", "carer", "carers", "parent", "parents",
        "guardian", "guardians", "foster", "grandmother", "grandfather", "grandparent",
        "grandparents", "nan", "nana", "gran", "grandma", "grandad", "granddad", "step",
        "stepmum", "stepdad", "aunt", "auntie", "uncle", "sister", "brother", "and",
        "both", "the", "of", "family", "kinship", "special", "guardianship",
    }
)  # fmt: skip
# Parts of a surname that are not names on their own ("Van der Berg", "Le Roux", "St John").
PARTICLES = frozenset(
    {"van", "der", "den", "de", "la", "le", "du", "von", "del", "da", "di", "st", "st.", "saint",
     "mac", "bin", "bint", "al", "el", "ap", "ó", "o", "ní", "ni", "mc"}
)  # fmt: skip
_JOINS = re.compile(r"\s+(?:and|&)\s+|[,;/+&]|\n", re.IGNORECASE)
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LABEL = re.compile(r"^\s*[A-Za-z ]{2,20}:\s*")
_NAME_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’‘\-‐–.])*", re.UNICODE)


@dataclass(frozen=True)
class Person:
    """Someone a case identifies: each way of naming them, and the initials that replace them."""

    names: tuple[str, ...]
    initials: str


def initials_of(name: str) -> str:
    """'Sarah Zebedee-Quill' -> 'SZQ'; apostrophes and hyphens split words."""
    words = re.split(r"[\s\-‐–'’‘]+", name.strip())
    return "".join(w[0].upper() for w in words if w)


def names_in(field: str) -> list[str]:
    """Each whole name a parent/carer field gives, without titles or relationships."""
    chunks = _chunks(_BRACKETED.sub(" ", field))
    surname = next((words[-1] for words, _ in reversed(chunks) if len(words) > 1), None)
    names = []
    for words, titled in chunks:
        if len(words) == 1 and surname and not titled and words[0] != surname:
            words = [words[0], surname]
        names.append(" ".join(words))
    return list(dict.fromkeys(names))


def _chunks(text: str) -> list[tuple[list[str], bool]]:
    """Each person's name words, and whether a title came first (then a lone word is a surname)."""
    found = []
    for chunk in _JOINS.split(text):
        raw = [w.rstrip(".") for w in _NAME_WORD.findall(_LABEL.sub("", chunk))]
        words = [w for w in raw if w and w.casefold() not in TITLES | RELATIONS]
        if words:
            found.append((words, any(w.casefold() in TITLES for w in raw)))
    return found


def person(full_name: str, initials: str | None = None) -> Person:
    """A person named ``full_name``, matched as a whole, by each name and surname part."""
    clean = " ".join(full_name.split())
    words = clean.split(" ")
    variants = [clean, *(w for w in words if w.casefold() not in PARTICLES)]
    variants += [p for w in words for p in re.split(r"[\-‐–]", w) if p and p != w]
    if len(words) > 1:
        variants.append(f"{words[0][0]}. {' '.join(words[1:])}")
        variants += [f"{words[0]} {p}" for p in re.split(r"[\-‐–]", words[-1]) if p != words[-1]]
    kept = [v for v in dict.fromkeys(variants) if len(_letters(v)) >= 2]
    return Person(tuple(kept), initials or initials_of(clean))


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())
