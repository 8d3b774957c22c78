"""Fictional people for sample referrals: pupils, parents, school staff, and their UPNs.

Every name here is made up and combined at random; any likeness to a real person is chance.
Names with apostrophes and hyphens are included on purpose, since real forms carry them.
"""

from __future__ import annotations

import random

from stdnum.gb import upn as stdnum_upn

DEFAULT_LA = 861

PUPIL_FORENAMES_BOYS = (
    "Oliver",
    "Harry",
    "Jack",
    "Noah",
    "Leo",
    "Alfie",
    "Charlie",
    "Freddie",
    "Theo",
    "Archie",
    "Kai",
    "Mohammed",
    "Riley",
    "Jayden",
    "Tyler",
    "Reuben",
    "Ibrahim",
    "Mason",
    "Lucas",
    "Ezra",
    "Finley",
    "Dylan",
    "Tomasz",
    "Kacper",
    "Rhys",
    "Ellis",
)
PUPIL_FORENAMES_GIRLS = (
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Lily",
    "Freya",
    "Poppy",
    "Evie",
    "Grace",
    "Sophia",
    "Aisha",
    "Maisie",
    "Ruby",
    "Willow",
    "Zara",
    "Hania",
    "Layla",
    "Erin",
    "Niamh",
    "Skye",
    "Amelie-Rose",
    "Lacey-Mae",
    "Maja",
    "Esme",
    "Nevaeh",
    "Darcie",
)
SURNAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Walker",
    "Wright",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Lewis",
    "Clarke",
    "Turner",
    "Hill",
    "Moore",
    "O'Neill",
    "O'Brien",
    "D'Souza",
    "McAllister",
    "Smith-Jones",
    "Bailey-Hart",
    "Okafor",
    "Hussain",
    "Begum",
    "Kowalski",
    "Nowak",
    "Patel",
    "Ahmed",
    "Bennett",
    "Shenton",
    "Plant",
    "Bloor",
    "Salt",
    "Mountford",
    "Ridgway",
    "Boote",
    "Hulme",
    "Shufflebotham",
    "Kaur",
)
ADULT_FORENAMES = (
    "Sarah",
    "Emma",
    "Claire",
    "Gemma",
    "Rachel",
    "Kelly",
    "Nicola",
    "Donna",
    "Amina",
    "Joanne",
    "Lisa",
    "Samantha",
    "Agnieszka",
    "Stacey",
    "Michelle",
    "Naveed",
    "Paul",
    "Mark",
    "Darren",
    "Craig",
    "Lee",
    "Gareth",
    "Imran",
    "Stephen",
    "Wayne",
    "Andrew",
    "Chloe",
    "Kerry",
    "Sian",
    "Bethany",
    "Jo",
    "Helen",
    "Catherine",
    "Fiona",
    "Richard",
    "David",
)


def pupil_name(rng: random.Random) -> tuple[str, str, str]:
    """A pupil's (forename, surname, pronoun) where the pronoun is 'he' or 'she'."""
    if rng.random() < 0.55:
        return rng.choice(PUPIL_FORENAMES_BOYS), rng.choice(SURNAMES), "he"
    return rng.choice(PUPIL_FORENAMES_GIRLS), rng.choice(SURNAMES), "she"


def parent_name(rng: random.Random, pupil_surname: str) -> str:
    """A parent or carer: usually the child's surname, sometimes not (as in life)."""
    surname = pupil_surname if rng.random() < 0.7 else rng.choice(SURNAMES)
    forename = rng.choice(ADULT_FORENAMES)
    if rng.random() < 0.2:
        return f"{forename} and {rng.choice(ADULT_FORENAMES)} {surname}"
    return f"{forename} {surname}"


def staff_name(rng: random.Random) -> tuple[str, str]:
    """A member of school staff as (forename, surname)."""
    return rng.choice(ADULT_FORENAMES), rng.choice(SURNAMES)


def email_local_part(forename: str, surname: str) -> str:
    """'j.oneill' from Jo O'Neill: lower case, no apostrophes or spaces."""
    clean = "".join(ch for ch in surname.lower() if ch.isalnum() or ch == "-")
    return f"{forename[0].lower()}.{clean}"


def initials(forename: str, surname: str) -> str:
    """'J.S.' for Jack Smith-Jones: what a school puts in a subject line instead of a name."""
    return f"{forename[0].upper()}.{surname[0].upper()}."


def establishment_number(setting_name: str, phase: str) -> int:
    """A stable, made-up DfE establishment number for a setting (primary 2xxx, secondary 4xxx)."""
    base = {
        "secondary": 4000,
        "special": 7000,
        "further_education": 8000,
        "alternative_provision": 1100,
    }.get(phase, 2000)
    return base + sum(ord(ch) * (i + 1) for i, ch in enumerate(setting_name)) % 700


def make_upn(
    rng: random.Random,
    *,
    la: int = DEFAULT_LA,
    establishment: int | None = None,
    year: int | None = None,
) -> str:
    """A valid English UPN: check letter, LA, establishment, two-digit year, three-digit serial."""
    estab = establishment if establishment is not None else rng.randint(2000, 4999)
    issued = year if year is not None else rng.randint(2010, 2024)
    body = f"{la:03d}{estab:04d}{issued % 100:02d}{rng.randint(1, 999):03d}"
    return stdnum_upn.calc_check_digit(body) + body


def with_wrong_check_letter(upn: str) -> str:
    """The same UPN with a check letter that does not match its digits."""
    right = upn[0]
    wrong = next(letter for letter in "ABCDEFGHJKLMNPQRTUVWXYZ" if letter != right)
    return wrong + upn[1:]
