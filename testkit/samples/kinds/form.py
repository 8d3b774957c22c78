"""A request of a kind other than IPN, and the helpers every such kind makes it with.

:class:`SampleForm` is a :class:`SampleRequest` that may carry a pupil's referral (an
exceptional-needs request brings that pupil's costed provision map). The kinds' modules
(project, capital, ehcp, review) make clean ones with the helpers here; their defects change
them.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from pipeline.config import Config, Setting
from testkit.samples import people
from testkit.samples.case import SampleReferral
from testkit.samples.request import SampleRequest


class SampleForm(SampleRequest):
    """A project, capital, exceptional-needs or review request."""

    referral: SampleReferral | None = None  # an exceptional-needs request's pupil and map


def setting_for(config: Config, index: int, *, mainstream: bool = True) -> Setting:
    """A different setting for each index of a run, so capital bids never share a setting."""
    settings = [s for s in config.settings if s.phase.mainstream == mainstream]
    return settings[index % len(settings)]


def sender_of(rng: random.Random, setting: Setting) -> tuple[str, str]:
    """(address, name) of a member of staff writing from the setting's own domain."""
    first, last = people.staff_name(rng)
    domain = setting.domains[0] if setting.domains else "school.sch.example"
    return f"{people.email_local_part(first, last)}@{domain}", f"{first} {last}"


def message_id(rng: random.Random, sender: str) -> str:
    return f"<{rng.getrandbits(64):016x}.{rng.getrandbits(32):08x}@{sender.partition('@')[2]}>"


def body(rng: random.Random, what: str, name: str, setting: str) -> str:
    greeting = rng.choice(("Dear Central Cluster team,", "Good afternoon,", "Hello,"))
    return (
        f"{greeting}\n\nPlease find attached {what}.\n\nPlease let me know if you need "
        f"anything further.\n\nKind regards,\n\n{name}\n{setting}\n"
    )


def written_at(rng: random.Random, received_at: datetime) -> datetime:
    return received_at - timedelta(minutes=rng.randint(20, 600))


def declared_on(rng: random.Random, received_at: datetime) -> date:
    return received_at.date() - timedelta(days=rng.randint(0, 5))


def redate(sample: SampleForm, received_at: datetime, rng: random.Random) -> SampleForm:
    """The same request arriving at another time, its declaration dated just before."""
    values = {**sample.values, "declaration_date": declared_on(rng, received_at)}
    return sample.model_copy(
        update={
            "values": values,
            "received_at": received_at,
            "document_time": written_at(rng, received_at),
        }
    )
