"""Fictional costed provision lines, priced the way a SENCo prices them.

A line's annual cost is the SPEC's formula (sessions x minutes / 60 x weeks x hourly rate /
group size), computed by :meth:`schemas.ProvisionLine.cost_by_formula` so the samples and the
pipeline can never disagree about it.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from schemas import ProvisionLine

LineValues = dict[str, str | int | float]

RATES: dict[str, tuple[float, float]] = {
    "Teaching assistant": (13.50, 16.50),
    "Higher level teaching assistant": (16.00, 19.50),
    "Learning mentor": (15.00, 18.50),
    "Family support worker": (17.00, 21.00),
    "SENCo": (32.00, 42.00),
    "Specialist teacher (outreach)": (40.00, 52.00),
    "Speech and language therapist": (55.00, 68.00),
    "Occupational therapist": (55.00, 65.00),
    "Play therapist": (45.00, 60.00),
}


class Template(NamedTuple):
    provision: str
    staff_role: str
    group_sizes: tuple[int, ...]
    sessions: tuple[int, ...]
    minutes: tuple[int, ...]
    weeks: tuple[int, ...]


_SCHOOL_YEAR = (36, 38, 38, 39, 39)

CORE = (
    Template(
        "1:1 adult support in class (mornings)",
        "Teaching assistant",
        (1,),
        (5,),
        (120, 150, 180, 195),
        _SCHOOL_YEAR,
    ),
    Template(
        "Shared adult support in lessons",
        "Teaching assistant",
        (2,),
        (5,),
        (240, 270, 300),
        _SCHOOL_YEAR,
    ),
    Template(
        "Supervised unstructured times (break and lunch)",
        "Teaching assistant",
        (1,),
        (5,),
        (60, 75, 90),
        _SCHOOL_YEAR,
    ),
)

BY_NEED: dict[str, tuple[Template, ...]] = {
    "Communication and interaction": (
        Template(
            "Speech and language programme (Talk Boost)",
            "Teaching assistant",
            (3, 4),
            (3,),
            (30,),
            (10, 20, 30),
        ),
        Template(
            "Social communication group (Lego-based therapy)",
            "Higher level teaching assistant",
            (3, 4),
            (2,),
            (40, 45),
            (30, 33),
        ),
        Template(
            "Attention Autism sessions",
            "Teaching assistant",
            (2, 3, 4),
            (4, 5),
            (20,),
            _SCHOOL_YEAR,
        ),
        Template(
            "SALT assessment and programme setting",
            "Speech and language therapist",
            (1,),
            (1,),
            (45, 60),
            (6, 10, 12),
        ),
    ),
    "Cognition and learning": (
        Template(
            "Precision teaching (reading and spelling)",
            "Teaching assistant",
            (1,),
            (5,),
            (15, 20),
            _SCHOOL_YEAR,
        ),
        Template(
            "Phonics catch-up in a small group",
            "Higher level teaching assistant",
            (2, 3),
            (4, 5),
            (20, 30),
            (20, 30, 38),
        ),
        Template("Numicon maths intervention", "Teaching assistant", (1, 2), (3,), (30,), (30, 36)),
        Template(
            "Specialist teacher assessment and advice",
            "Specialist teacher (outreach)",
            (1,),
            (1,),
            (60, 90),
            (6, 9),
        ),
    ),
    "Social, emotional and mental health": (
        Template(
            "Daily check-in and emotional regulation (Zones of Regulation)",
            "Learning mentor",
            (1,),
            (5,),
            (15, 20),
            _SCHOOL_YEAR,
        ),
        Template(
            "ELSA sessions", "Higher level teaching assistant", (1,), (1, 2), (30, 45), (12, 24, 36)
        ),
        Template("Play therapy", "Play therapist", (1,), (1,), (50, 60), (12, 20, 30)),
        Template("Nurture group", "Teaching assistant", (4, 6), (5,), (60,), _SCHOOL_YEAR),
        Template(
            "Work with family at home and in school",
            "Family support worker",
            (1,),
            (1,),
            (60, 90),
            (12, 20),
        ),
    ),
    "Sensory and/or physical": (
        Template(
            "Sensory circuit before school", "Teaching assistant", (2, 3), (5,), (20,), _SCHOOL_YEAR
        ),
        Template(
            "Fine motor skills programme (Clever Hands)",
            "Teaching assistant",
            (1, 2),
            (3,),
            (20, 30),
            (20, 30),
        ),
        Template(
            "OT assessment and sensory diet review",
            "Occupational therapist",
            (1,),
            (1,),
            (60,),
            (4, 6),
        ),
        Template(
            "Personal care and mobility support",
            "Teaching assistant",
            (1,),
            (5,),
            (30, 45),
            _SCHOOL_YEAR,
        ),
    ),
}

REVIEW = Template(
    "SENCo time: planning, review meetings and liaison",
    "SENCo",
    (1,),
    (1,),
    (30, 45, 60),
    (12, 36, 39),
)


def annual_cost(values: LineValues) -> float:
    """The SPEC's cost of one line, exactly as the pipeline computes it."""
    cost = ProvisionLine.model_validate(values).cost_by_formula()
    if cost is None:
        raise ValueError(f"line has no computable cost: {values}")
    return float(cost)


def priced(template: Template, area: str, rng: random.Random) -> LineValues:
    low, high = RATES[template.staff_role]
    values: LineValues = {
        "area_of_need": area,
        "provision": template.provision,
        "staff_role": template.staff_role,
        "group_size": rng.choice(template.group_sizes),
        "sessions_per_week": rng.choice(template.sessions),
        "minutes_per_session": rng.choice(template.minutes),
        "weeks": rng.choice(template.weeks),
        "hourly_rate": round(rng.uniform(low, high), 2),
    }
    return {**values, "annual_cost": annual_cost(values)}


def make_lines(
    rng: random.Random,
    primary: str,
    secondary: str | None,
    *,
    total_between: tuple[float, float] = (8000.0, 14000.0),
) -> tuple[LineValues, ...]:
    """Two to five lines for the pupil's needs, totalling well above the Element 2 £6,000."""
    low, high = total_between
    while True:
        lines = [priced(rng.choice(CORE), primary, rng)]
        pool = [(primary, t) for t in BY_NEED[primary]]
        if secondary:
            pool += [(secondary, t) for t in BY_NEED[secondary]]
        for area, template in rng.sample(pool, k=min(len(pool), rng.randint(1, 3))):
            lines.append(priced(template, area, rng))
        if rng.random() < 0.4 and len(lines) < 5:
            lines.append(priced(REVIEW, "Coordination and review", rng))
        total = sum(float(line["annual_cost"]) for line in lines)
        if low <= total <= high:
            return tuple(lines)


def line_total(lines: tuple[LineValues, ...]) -> float:
    return round(sum(float(line["annual_cost"]) for line in lines), 2)
