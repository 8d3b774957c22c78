"""Sample Project-Based Work referrals, clean or with one project rule broken.

A clean referral names its lead setting and one or two partner settings as the school
writes them, lists its costs line by line, and asks for exactly their sum.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from pipeline.config import Config, Setting
from testkit.samples import dates
from testkit.samples.kinds.form import (
    SampleForm,
    body,
    declared_on,
    message_id,
    sender_of,
    setting_for,
    written_at,
)
from testkit.samples.kinds.texts import narrative

Defect = Callable[[SampleForm, random.Random, Config], SampleForm]
KIND = "project_referral"
UNKNOWN_PARTNER = "Riverside Primary School"
TITLES = (
    "Shared sensory circuits",
    "Regulation support network",
    "Early language champions",
    "Transition support for vulnerable pupils",
)
COSTS = (
    ("Specialist teacher time (20 sessions)", (1800.0, 3200.0)),
    ("Training for teaching assistants", (600.0, 1500.0)),
    ("Sensory circuit equipment", (400.0, 1200.0)),
    ("Supply cover for network meetings", (450.0, 900.0)),
    ("Resources and assessment materials", (150.0, 600.0)),
)


def make(rng: random.Random, config: Config, index: int) -> SampleForm:
    setting = setting_for(config, index)
    others = [s for s in config.settings if s.name != setting.name]
    partners = tuple(_as_written(rng, p) for p in rng.sample(others, k=rng.randint(1, 2)))
    sender, sender_name = sender_of(rng, setting)
    arrival = dates.in_good_time(rng, config)
    declared = declared_on(rng, arrival)
    start = dates.add_months(date(declared.year, declared.month, 1), rng.randint(1, 2))
    lines = tuple(
        (item, float(round(rng.uniform(low, high) / 10) * 10))
        for item, (low, high) in rng.sample(COSTS, k=rng.randint(2, 4))
    )
    title = rng.choice(TITLES)
    names = {"setting": setting.name, "name": setting.name}
    values = {
        "setting_name": setting.name,
        "partner_settings": partners,
        "contact_name": sender_name,
        "contact_email": sender,
        "project_title": title,
        "project_description": narrative(rng, "project_description", **names),
        "needs_addressed": narrative(rng, "needs_addressed", **names),
        "pupils_benefiting": rng.randint(12, 120),
        "outcomes_and_measures": narrative(rng, "outcomes_and_measures", **names),
        "amount_requested": round(sum(cost for _, cost in lines), 2),
        "project_start": start,
        "project_end": dates.add_months(start, rng.randint(4, 9)) - timedelta(days=1),
        "sustainability": narrative(rng, "sustainability", **names),
        "headteacher_signature": sender_of(rng, setting)[1],
        "declaration_date": declared,
    }
    return SampleForm(
        kind=KIND,
        values=values,
        cost_lines=lines,
        setting=setting.name,
        sender=sender,
        sender_name=sender_name,
        mailbox=config.cluster.mailbox,
        subject=f"Project-based work referral – {title}",
        body=body(rng, f"our Project-Based Work referral, '{title}'", sender_name, setting.name),
        received_at=arrival,
        message_id=message_id(rng, sender),
        document_time=written_at(rng, arrival),
        form_filename=f"Project referral - {title}.docx",
    )


def _as_written(rng: random.Random, setting: Setting) -> str:
    loose = [a for a in setting.aliases if len(a) > 8]
    return rng.choice(loose) if loose and rng.random() < 0.4 else setting.name


def _with(sample: SampleForm, **values: object) -> SampleForm:
    return sample.model_copy(update={"values": {**sample.values, **values}})


def _date(sample: SampleForm, field_id: str) -> date:
    value = sample.values[field_id]
    if not isinstance(value, date):
        raise TypeError(f"{field_id} is not a date in this sample")
    return value


def unknown_setting(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    partners = s.values["partner_settings"]
    written = partners if isinstance(partners, tuple) else ()
    return _with(s, partner_settings=(*written, UNKNOWN_PARTNER))


def total_mismatch(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    total = sum(cost for _, cost in s.cost_lines)
    return _with(s, amount_requested=round(total + rng.choice((-400.0, 400.0)), 2))


def date_order(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    return _with(s, project_end=_date(s, "project_start") - timedelta(days=rng.randint(20, 60)))


DEFECTS: dict[str, Defect] = {d.__name__: d for d in (unknown_setting, total_mismatch, date_order)}
