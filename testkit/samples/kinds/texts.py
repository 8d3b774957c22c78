"""The narrative boxes of the project, capital, exceptional-needs and review samples.

Each box is two sentences drawn from a pool and filled with the sample's names, so that every
box has well over the 20 words a narrative needs. All of it is fiction.
"""

from __future__ import annotations

import random

POOLS: dict[str, tuple[str, ...]] = {
    "project_description": (
        "{setting} will lead a shared programme of sensory circuits and regulation sessions, "
        "delivered each morning by trained teaching assistants in every partner school.",
        "A specialist teacher will visit each school fortnightly to model the approach, coach "
        "staff and review the progress of the children taking part.",
        "Staff from the partner schools will meet each half term to share resources, look at "
        "pupils' progress together and agree what to change next.",
    ),
    "needs_addressed": (
        "Many children across the schools arrive dysregulated and miss the start of lessons, "
        "and staff report that they lack the confidence to respond consistently.",
        "Referrals for speech, language and communication needs have risen sharply, and "
        "waiting times for specialist advice now run to several months.",
        "Suspensions for children with social, emotional and mental health needs have "
        "increased over the last two years in the schools taking part.",
    ),
    "outcomes_and_measures": (
        "We expect fewer incidents of dysregulation and better attendance, measured by "
        "comparing each child's records for the term before and the term after.",
        "Staff confidence will be surveyed at the start and end of the project, and pupil "
        "voice will be gathered through short structured conversations each half term.",
    ),
    "sustainability": (
        "Trained staff will cascade the approach to colleagues, and the resources bought "
        "will stay in the schools for use in the years after the funding ends.",
        "The partner schools have agreed to fund the half-termly network meetings from their "
        "own budgets once the cluster funding has been spent.",
    ),
    "works_description": (
        "We will convert an underused store room next to the Key Stage 1 classrooms into a "
        "calm sensory room with soft lighting, seating and acoustic panels.",
        "The works include new flooring, a partition with a glazed door, and fixed equipment "
        "installed by a contractor approved by the school's trust.",
    ),
    "strategic_fit": (
        "The project supports the cluster's aim of meeting needs earlier in mainstream and "
        "reducing the number of children who move to specialist provision.",
        "Several pupils with EHC plans currently leave the classroom many times a day, and "
        "this space lets them regulate without leaving the building.",
    ),
    "quality_of_design": (
        "The design was drawn up with advice from the specialist teaching service and an "
        "occupational therapist, and follows published guidance on sensory environments.",
        "Colours, lighting and acoustics have been chosen to reduce sensory load, and the "
        "room can be supervised easily from the neighbouring classroom.",
    ),
    "deliverability": (
        "Works will take place during the school holidays so that teaching is not disrupted, "
        "and the contractor has confirmed availability within the timescale.",
        "The site manager will oversee the works, and the governors' premises committee has "
        "approved the project and the timetable for completion.",
    ),
    "value_for_money": (
        "We obtained competitive quotes and chose the best value rather than the cheapest, "
        "because it includes installation, a warranty and staff training.",
        "The room will be used by more than forty pupils each week, so the cost per pupil "
        "over the life of the equipment is very low.",
    ),
    "environmental_impact": (
        "We have chosen low-energy LED lighting, durable materials from a local supplier and "
        "furniture that can be repaired rather than replaced.",
        "Existing fittings will be reused where possible, and waste from the works will be "
        "recycled by the contractor under the trust's sustainability policy.",
    ),
    "stakeholder_engagement": (
        "Parents of pupils with EHC plans were consulted at a coffee morning and their "
        "suggestions shaped the layout and the choice of equipment.",
        "The school council and staff were asked what would help pupils feel calm, and "
        "their views are reflected in the final design.",
    ),
    "section_f_provision": (
        "Section F specifies daily small-group support from a trained adult for literacy and "
        "regulation, which the school cannot currently fund from its notional budget.",
        "The plan also requires weekly advice from a specialist teacher and a quiet workspace "
        "supervised by an adult for part of every afternoon.",
    ),
    "reason": (
        "Since the plan was issued, {name}'s needs have increased and the current top-up no "
        "longer covers the support that Section F sets out.",
        "The school has already added support from its own budget, but without additional "
        "funding {name} is at risk of losing the placement.",
    ),
    "progress": (
        "{name} now attends the agreed sessions regularly and staff report clear progress "
        "towards the outcomes set when the funding was allocated.",
        "The funded support has been delivered as planned, and the review with the family "
        "showed good progress, although some targets still need more time.",
    ),
}


def narrative(rng: random.Random, field_id: str, **names: str) -> str:
    """Two sentences for a narrative box, its {placeholders} filled from ``names``."""
    return " ".join(s.format(**names) for s in rng.sample(POOLS[field_id], k=2))


def short(field_id: str) -> str:
    """A box written in a hurry: well under the 20 words a narrative needs."""
    return {"progress": "Going well.", "works_description": "New sensory room."}.get(
        field_id, "See attached."
    )
