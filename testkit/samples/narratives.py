"""The narrative boxes of a sample referral, in the plain English a SENCo writes.

Each box is two or three sentences drawn from pools and filled with the child's forename and
pronouns, so that no two referrals read alike. All of it is fiction.
"""

from __future__ import annotations

import random
from typing import NamedTuple


class Child(NamedTuple):
    name: str
    he: str
    his: str
    him: str
    year_group: str
    primary_need: str

    @classmethod
    def of(cls, name: str, pronoun: str, year_group: str, primary_need: str) -> Child:
        he, his, him = ("he", "his", "him") if pronoun == "he" else ("she", "her", "her")
        return cls(name, he, his, him, year_group, primary_need)


NEEDS: dict[str, tuple[str, ...]] = {
    "Communication and interaction": (
        "{name} has a diagnosis of autism and finds changes to routine very hard to manage.",
        "{name}'s expressive language is well below age-related expectations and {he} often "
        "cannot explain what has upset {him}.",
        "{name} struggles to take turns in conversation and to join in play with other children.",
        "Noise in the classroom and the dinner hall quickly overwhelms {name}, and {he} leaves "
        "the room or covers {his} ears.",
    ),
    "Cognition and learning": (
        "{name} is working well below the expectations for {year}, particularly in reading and "
        "spelling.",
        "{name} finds it very hard to remember new learning from one day to the next and needs "
        "frequent repetition.",
        "{name}'s processing speed is slow and {he} becomes anxious when asked to work "
        "independently.",
        "Assessment shows a significant gap between {name}'s verbal reasoning and {his} written "
        "work.",
    ),
    "Social, emotional and mental health": (
        "{name} has frequent episodes of dysregulation, several times a week, which put {him} "
        "and other pupils at risk.",
        "{name} has experienced significant trauma and finds trusting adults very difficult.",
        "{name} often refuses to enter the classroom in the morning and spends long periods "
        "out of lessons.",
        "Low mood and anxiety mean {name} has become withdrawn and rarely speaks to peers.",
    ),
    "Sensory and/or physical": (
        "{name} has a hearing impairment and uses hearing aids, but misses much of what is "
        "said in a busy room.",
        "{name} has hypermobility and tires quickly, and handwriting is slow and painful for "
        "{him}.",
        "{name} seeks constant movement and sensory input, which makes it hard for {him} to "
        "stay seated and focused.",
        "{name} needs support with personal care and moving safely around the building.",
    ),
}

SUPPORT = (
    "{name} has a personalised timetable and a visual schedule that is checked with an adult "
    "each morning.",
    "A teaching assistant already supports {name} for part of each morning from the school's "
    "own budget.",
    "We have run a time-limited phonics and precision teaching intervention, with small gains.",
    "{name} has a named key adult and a calm space to go to when {he} feels overwhelmed.",
    "Staff have had training in emotion coaching and use a consistent script with {name}.",
    "Advice from the specialist teacher has been put into a support plan that all staff follow.",
)

OUTCOMES = (
    "By the end of the funding period {name} will be able to stay in class for at least "
    "three quarters of each lesson.",
    "{name} will use {his} calm plan to regulate {him}self with the help of one familiar "
    "adult, and incidents will halve.",
    "{name} will make measurable progress in reading, moving at least two steps on the "
    "school's assessment.",
    "{name} will join a small group at lunchtime and name two friends {he} likes to play with.",
    "{name}'s attendance will rise above 90% and {he} will arrive in class without distress.",
    "{name} will communicate {his} needs using short sentences or the agreed visuals.",
)

FUNDING = (
    "The funding will pay for additional adult support in class and for the interventions "
    "set out in the costed provision map.",
    "Most of the money will fund a trained teaching assistant, so that {name} has consistent "
    "adult support across the day.",
    "We will also buy in specialist advice and release staff time to review {name}'s plan "
    "every six weeks with {his} family.",
    "Sessions will be delivered by staff who know {name} well, and progress will be tracked "
    "through the assess, plan, do, review cycle.",
)

PARENT = (
    "We are really worried about {name} because {he} comes home exhausted and upset most days.",
    "We feel the school knows {name} well and want {him} to get more help before things get worse.",
    "At home {name} is a different child: calm, funny and kind, but mornings are a battle.",
    "We would like {name} to have an adult {he} trusts with {him} during the day, and we "
    "fully support this referral.",
    "{name} has said {he} does not want to go to school, and that is hard for the whole family.",
)

CHILD = (
    "{name} said: I like it when Miss helps me because then I know what to do.",
    "{name} told us that the classroom is too loud and {he} likes the quiet room best.",
    "{name} says {he} wants to have more friends and to be better at reading.",
    "{name} drew a picture of school and said the best bit is helping in the garden.",
    "When asked what would help, {name} said: more breaks, and someone to talk to.",
    "{name} would like to stay in class more and not get into trouble at lunchtime.",
)

PROFESSIONALS = (
    "Educational psychologist (consultation this term); school nurse; speech and language "
    "therapy team, who have seen {name} twice and set targets.",
    "Specialist teacher from the inclusion service, who has observed {name} in class; "
    "CAMHS, who accepted a referral and placed {him} on the waiting list.",
    "Early help worker supporting the family at home; paediatrician at the Royal Stoke, who "
    "reviews {name} every six months.",
)

SHORT_CHILD = (  # five to ten words each
    "{name} says: I like Lego and football.",
    "{name} likes playing outside with friends.",
    "{name} did not want to say anything.",
)

POOLS: dict[str, tuple[str, ...]] = {
    "support_in_place": SUPPORT,
    "outcomes_sought": OUTCOMES,
    "funding_use": FUNDING,
    "parent_views": PARENT,
    "child_views": CHILD,
    "professionals_involved": PROFESSIONALS,
}


def fill(template: str, child: Child) -> str:
    return template.format(
        name=child.name, he=child.he, his=child.his, him=child.him, year=child.year_group
    )


def narrative(rng: random.Random, field_id: str, child: Child) -> str:
    """Two or three sentences for one narrative box, at least 20 words long."""
    pool = NEEDS[child.primary_need] if field_id == "needs_summary" else POOLS[field_id]
    count = 1 if field_id == "professionals_involved" else rng.randint(2, 3)
    text = " ".join(fill(s, child) for s in rng.sample(pool, k=count))
    while len(text.split()) < 20:
        text += " " + fill(rng.choice(pool), child)
    return text


def short(rng: random.Random, child: Child) -> str:
    """A child's views in five to ten words: what short_narrative is for."""
    return fill(rng.choice(SHORT_CHILD), child)
