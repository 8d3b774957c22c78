"""Sample Cluster Funding Reviews: of a pupil's funding (with attendance and suspensions
before and since) or of a project's.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from pipeline.config import Config
from schemas.types import REVIEW_RECOMMENDATIONS
from testkit.samples import dates, people
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
KIND = "funding_review"


def make(rng: random.Random, config: Config, index: int) -> SampleForm:
    setting = setting_for(config, index)
    sender, sender_name = sender_of(rng, setting)
    arrival = dates.in_good_time(rng, config)
    reviewed = declared_on(rng, arrival)
    allocated = float(rng.randint(6, 24) * 250)
    forename, surname, _ = people.pupil_name(rng)
    pupil = rng.random() < 0.7
    before = float(rng.randint(70, 90))
    values = {
        "case_ref": f"CC-2425-{rng.randint(1, 120):04d}",
        "setting_name": setting.name,
        "pupil_name": f"{forename} {surname}" if pupil else None,
        "project_title": None if pupil else "Regulation support network",
        "date_allocated": reviewed - timedelta(days=rng.randint(150, 340)),
        "amount_allocated": allocated,
        "amount_spent": round(allocated * rng.uniform(0.6, 1.0), 2),
        "progress": narrative(rng, "progress", name=forename if pupil else "The project"),
        "attendance_before": before if pupil else None,
        "attendance_after": min(before + rng.randint(2, 9), 100.0) if pupil else None,
        "suspensions_before": rng.randint(1, 4) if pupil else None,
        "suspensions_after": rng.randint(0, 1) if pupil else None,
        "recommendation": rng.choice(REVIEW_RECOMMENDATIONS),
        "review_date": reviewed,
    }
    whose = people.initials(forename, surname) if pupil else "our project"
    return SampleForm(
        kind=KIND,
        values=values,
        setting=setting.name,
        sender=sender,
        sender_name=sender_name,
        mailbox=config.cluster.mailbox,
        subject=f"Cluster funding review – {values['case_ref']}",
        body=body(rng, f"the funding review for {whose}", sender_name, setting.name),
        received_at=arrival,
        message_id=message_id(rng, sender),
        document_time=written_at(rng, arrival),
        form_filename=f"Funding review - {values['case_ref']}.docx",
    )


def _with(sample: SampleForm, **values: object) -> SampleForm:
    return sample.model_copy(update={"values": {**sample.values, **values}})


def missing_field(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    # Neither the pupil nor the project is named: one of the two is required.
    return _with(s, pupil_name=None, project_title=None)


def date_in_future(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    return _with(s, review_date=s.received_at.date() + timedelta(days=rng.randint(3, 20)))


DEFECTS: dict[str, Defect] = {d.__name__: d for d in (missing_field, date_in_future)}
