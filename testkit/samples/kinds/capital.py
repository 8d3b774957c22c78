"""Sample Inclusive Environments Capital Fund bids, clean or with one capital rule broken.

A clean bid arrives while the round is open, from a mainstream setting that no other sample
of the run bids from, for well under the per-setting cap, with every declaration Yes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from pipeline.config import Config
from schemas.capital_bid import CRITERIA, DECLARATIONS
from schemas.types import IMPROVEMENT_TYPES
from testkit.samples import dates
from testkit.samples.kinds.form import (
    SampleForm,
    body,
    declared_on,
    message_id,
    redate,
    sender_of,
    setting_for,
    written_at,
)
from testkit.samples.kinds.texts import narrative

Defect = Callable[[SampleForm, random.Random, Config], SampleForm]
KIND = "capital_bid"
TITLES = {
    "Sensory spaces or circuits": "Sensory room and circuit",
    "Accessible outdoor equipment": "Accessible outdoor play",
    "Inclusive sanitary provision": "Accessible changing room",
    "Acoustic improvements": "Quiet classrooms",
    "Restorative or breakout spaces": "Calm breakout space",
    "Spatial sequencing and wayfinding": "Clear routes and ramps",
    "Access to nature": "Outdoor classroom garden",
    "Lighting, thermal comfort and ventilation": "Calmer lighting and air",
}


def make(rng: random.Random, config: Config, index: int) -> SampleForm:
    setting = setting_for(config, index)
    sender, sender_name = sender_of(rng, setting)
    head = sender_of(rng, setting)[1]
    arrival = in_round(rng, config)
    types = tuple(
        sorted(rng.sample(IMPROVEMENT_TYPES, k=rng.randint(1, 3)), key=IMPROVEMENT_TYPES.index)
    )
    title = TITLES[types[0]]
    cap = float(config.capital.per_setting_cap)
    amount = round(rng.uniform(0.2, 0.55) * cap / 50) * 50.0
    ehcp_pupils = rng.randint(2, 15)
    names = {"setting": setting.name, "name": setting.name}
    values = {
        "setting_name": setting.name,
        "contact_name": sender_name,
        "contact_email": sender,
        "project_title": title,
        "improvement_types": types,
        "works_description": narrative(rng, "works_description", **names),
        "ehcp_pupils_benefiting": ehcp_pupils,
        "pupils_benefiting": ehcp_pupils + rng.randint(20, 180),
        "amount_requested": amount,
        "total_project_cost": amount + rng.choice((0.0, 500.0, 1250.0, 2400.0)),
        "quotes_obtained": rng.randint(2, 3),
        **{criterion: narrative(rng, criterion, **names) for criterion in CRITERIA},
        "expected_completion": config.capital.complete_by - timedelta(days=rng.randint(14, 120)),
        **dict.fromkeys(DECLARATIONS, True),
        "headteacher_signature": head,
        "declaration_date": declared_on(rng, arrival),
    }
    return SampleForm(
        kind=KIND,
        values=values,
        setting=setting.name,
        sender=sender,
        sender_name=sender_name,
        mailbox=config.cluster.mailbox,
        subject=f"Capital fund application – {title} – {setting.name}",
        body=body(
            rng,
            f"our Inclusive Environments Capital Fund application ({title})",
            sender_name,
            setting.name,
        ),
        received_at=arrival,
        message_id=message_id(rng, sender),
        document_time=written_at(rng, arrival),
        form_filename=f"Capital bid - {title}.docx",
    )


def in_round(rng: random.Random, config: Config) -> datetime:
    """An arrival in good time for a meeting, while the capital round is open."""
    for _ in range(100):
        arrival = dates.in_good_time(rng, config)
        if config.capital.opens <= arrival.date() <= config.capital.closes:
            return arrival
    first = max(config.capital.opens, config.capital.closes - timedelta(days=30))
    return dates.during_school_day(rng, dates.weekday_between(rng, first, config.capital.closes))


def _with(sample: SampleForm, **values: object) -> SampleForm:
    return sample.model_copy(update={"values": {**sample.values, **values}})


def _amount(sample: SampleForm) -> float:
    amount = sample.values["amount_requested"]
    if not isinstance(amount, float):
        raise TypeError("amount_requested is not an amount in this sample")
    return amount


def over_setting_cap(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    # Two bids of one setting, each under the cap, over it together: the first is sent
    # a few days earlier (its own email), for another project.
    cap = float(c.capital.per_setting_cap)
    first_amount, second_amount = round(cap * 0.6, 2), round(cap * 0.5, 2)
    chosen = s.values["improvement_types"]
    other = next(t for t in IMPROVEMENT_TYPES if not isinstance(chosen, tuple) or t not in chosen)
    first = _with(
        s,
        project_title=TITLES[other],
        improvement_types=(other,),
        amount_requested=first_amount,
        total_project_cost=first_amount + 800,
    )
    first = redate(first, s.received_at - timedelta(days=rng.randint(2, 6)), rng)
    first = first.model_copy(
        update={
            "message_id": message_id(rng, s.sender),
            "subject": f"Capital fund application – {TITLES[other]} – {s.setting}",
            "form_filename": f"Capital bid - {TITLES[other]}.docx",
        }
    )
    second = _with(s, amount_requested=second_amount, total_project_cost=second_amount + 600)
    return second.model_copy(update={"earlier": first})


def cost_below_request(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    return _with(s, total_project_cost=_amount(s) - 1500)


def ineligible_capital(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    return _with(s, **{rng.choice(DECLARATIONS): False})


def completion_after_deadline(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    return _with(s, expected_completion=c.capital.complete_by + timedelta(days=rng.randint(20, 90)))


def after_round_deadline(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    # A weekday in the first half of January: after the round closes, well before the
    # February meeting's cut-off.
    first = c.capital.closes + timedelta(days=5)
    day = dates.weekday_between(rng, first, first + timedelta(days=10))
    return redate(s, dates.during_school_day(rng, day), rng)


def not_mainstream(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    setting = rng.choice([x for x in c.settings if not x.phase.mainstream])
    sender, name = sender_of(rng, setting)
    return _with(s, setting_name=setting.name, contact_name=name, contact_email=sender).model_copy(
        update={
            "setting": setting.name,
            "sender": sender,
            "sender_name": name,
            "message_id": message_id(rng, sender),
            "subject": s.subject.replace(s.setting, setting.name),
            "body": s.body.replace(s.setting, setting.name).replace(s.sender_name, name),
        }
    )


DEFECTS: dict[str, Defect] = {
    d.__name__: d
    for d in (
        over_setting_cap,
        cost_below_request,
        ineligible_capital,
        completion_after_deadline,
        after_round_deadline,
        not_mainstream,
    )
}
