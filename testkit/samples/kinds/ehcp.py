"""Sample exceptional needs funding requests for pupils with an existing EHC plan.

The pupil, the setting and the costed provision map are those of a clean IPN sample
(:func:`testkit.samples.case.make_referral`); the form adds the plan's date, the Section F
provision not funded, the current top-up and the amount the map asks for.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from pipeline.config import Config
from schemas.ehcp_exceptional import EHC_PLAN
from schemas.ipn_referral import PUPIL_BLOCK
from testkit.samples.case import make_referral
from testkit.samples.kinds.form import SampleForm, body
from testkit.samples.kinds.texts import narrative

Defect = Callable[[SampleForm, random.Random, Config], SampleForm]
KIND = "ehcp_exceptional"


def make(rng: random.Random, config: Config, index: int) -> SampleForm:
    referral = make_referral(rng, config)
    form = referral.values
    declared = form["declaration_date"]
    if not isinstance(declared, date):
        raise TypeError("a sample referral always has a declaration date")
    names = {"name": str(form["pupil_forename"]), "setting": referral.setting}
    values = {
        **{field_id: form[field_id] for field_id in PUPIL_BLOCK},
        "sen_status": EHC_PLAN,
        "ehcp_date": declared - timedelta(days=rng.randint(120, 700)),
        "section_f_provision": narrative(rng, "section_f_provision", **names),
        "current_topup": float(rng.choice((3000, 4500, 6000, 7500))),
        "amount_requested": referral.map_amount_requested,
        "reason": narrative(rng, "reason", **names),
        "headteacher_signature": form["headteacher_signature"],
        "declaration_date": declared,
    }
    return SampleForm(
        kind=KIND,
        values=values,
        written={"setting_name": referral.setting_as_written},
        setting=referral.setting,
        sender=referral.sender,
        sender_name=referral.sender_name,
        mailbox=referral.mailbox,
        subject=f"Exceptional needs funding request – {referral.initials}",
        body=body(
            rng,
            f"an exceptional needs funding request for {referral.initials}, who has an EHC "
            "plan, with the costed provision map",
            referral.sender_name,
            referral.setting_as_written,
        ),
        received_at=referral.received_at,
        message_id=referral.message_id,
        document_time=referral.document_time,
        form_filename=f"Exceptional needs request - {referral.initials.replace('.', '')}.docx",
        referral=referral,
    )


def _with(sample: SampleForm, **values: object) -> SampleForm:
    return sample.model_copy(update={"values": {**sample.values, **values}})


def invalid_value(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    # The pupil is at SEN Support, so the request should have been an IPN referral.
    return _with(s, sen_status="SEN Support")


def amount_mismatch(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    asked = s.values["amount_requested"]
    if not isinstance(asked, float):
        raise TypeError("amount_requested is not an amount in this sample")
    return _with(s, amount_requested=round(asked + rng.choice((-250.0, 250.0)), 2))


def missing_document(s: SampleForm, rng: random.Random, c: Config) -> SampleForm:
    return s.model_copy(update={"include_map": False})


DEFECTS: dict[str, Defect] = {
    d.__name__: d for d in (invalid_value, amount_mismatch, missing_document)
}
