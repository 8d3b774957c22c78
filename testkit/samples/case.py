"""One fictional IPN referral as the truth behind the documents: typed values, then flags.

:class:`SampleReferral` is a :class:`SampleRequest` (the form's values, keyed by the
catalogue's field ids, and its email) with the IPN's own documents: the costed provision map
(which cells are written as plain numbers), a professional's report, attachments sent by
mistake. The renderers (word, xlsx_map, supporting, email_message) turn it into bytes;
defects change it.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from pydantic import Field

from pipeline.config import Config, Setting
from schemas import IpnReferral
from schemas.types import NEED_AREAS, SEN_STATUSES
from testkit.samples import dates, people
from testkit.samples.narratives import Child, narrative
from testkit.samples.provision import LineValues, line_total, make_lines
from testkit.samples.request import SampleRequest, Value

ELEMENT2 = 6000.0
SUPPORTING = (  # (title printed on the report, how the school names the file)
    ("Educational Psychology Service – Consultation Record", "EP report"),
    ("Speech and Language Therapy – Progress Report", "SALT report"),
    ("Specialist Teaching Service – Observation Notes", "Specialist teacher notes"),
)


class SampleReferral(SampleRequest):
    """An IPN referral: its form's values, its costed provision map and what comes with it."""

    kind: str = IpnReferral.kind
    # The provision lines by column id (annual_cost as the SPEC computes it), the provision
    # map's header block; the setting's name as the school writes it on every document.
    lines: tuple[LineValues, ...]
    element2_contribution: float = ELEMENT2
    map_header: dict[str, Value]
    setting_as_written: str
    document_seed: str  # seeds the wording of the supporting report and the newsletter
    map_filename: str
    supporting_filename: str
    supporting_title: str
    include_supporting: bool = False  # a professional's report (PDF), kept as supporting
    extras: tuple[str, ...] = ()  # keys of testkit.samples.extras: attachments sent by mistake
    # line index -> a number typed over its cost formula
    written_costs: dict[int, float] = Field(default_factory=dict)
    written_total: float | None = None  # a number typed over the SUM() of the lines

    def typed_text(self, field_id: str) -> str | None:
        if field_id == "setting_name" and self.values.get(field_id) is not None:
            return self.setting_as_written
        return super().typed_text(field_id)

    @property
    def written_line_costs(self) -> tuple[float, ...]:
        """Each line's annual cost as the workbook states it (its formula, or a typed number)."""
        return tuple(
            self.written_costs.get(i, float(line["annual_cost"]))
            for i, line in enumerate(self.lines)
        )

    @property
    def map_total(self) -> float:
        if self.written_total is not None:
            return self.written_total
        return round(sum(self.written_line_costs), 2)

    @property
    def map_amount_requested(self) -> float:
        return round(self.map_total - self.element2_contribution, 2)

    @property
    def initials(self) -> str:
        forename, surname = self.values["pupil_forename"], self.values["pupil_surname"]
        return people.initials(str(forename), str(surname))


def make_referral(
    rng: random.Random, config: Config, received_at: datetime | None = None
) -> SampleReferral:
    """A clean referral: every required field present and every SPEC rule satisfied.

    A received_at given must be timezone-aware; by default the referral arrives in 2025/26,
    after one meeting and well before the next one's cut-off.
    """
    if received_at is not None and received_at.utcoffset() is None:
        raise ValueError("received_at must be timezone-aware")
    arrival = received_at or dates.in_good_time(rng, config)
    setting = rng.choice(config.settings)
    forename, surname, pronoun = people.pupil_name(rng)
    low, high = dates.YEARS_BY_PHASE[setting.phase.value]
    year_group = dates.year_name(rng.randint(max(low, 0), high))
    primary, secondary = rng.sample(NEED_AREAS, k=2)
    child = Child.of(forename, pronoun, year_group, primary)
    senco_first, senco_last = people.staff_name(rng)
    head_first, head_last = people.staff_name(rng)
    domain = setting.domains[0] if setting.domains else "school.sch.example"
    sender = f"{people.email_local_part(senco_first, senco_last)}@{domain}"
    written = _as_written(rng, setting)
    issued = dates.academic_start_year(arrival.date()) - dates.year_index(year_group)
    second_need = secondary if rng.random() < 0.6 else None
    behaviour = primary == "Social, emotional and mental health" and year_group != "Reception"
    report_title, report_name = rng.choice(SUPPORTING)
    form: dict[str, Value] = {
        "setting_name": setting.name,
        "senco_name": f"{senco_first} {senco_last}",
        "senco_email": sender,
        "senco_phone": f"01782 {rng.randint(200000, 999999)}" if rng.random() < 0.8 else None,
        "headteacher_name": f"{head_first} {head_last}",
        "pupil_forename": forename,
        "pupil_surname": surname,
        "date_of_birth": None,
        "upn": people.make_upn(
            rng,
            establishment=people.establishment_number(setting.name, setting.phase.value),
            year=issued - rng.randint(0, 1),
        ),
        "year_group": year_group,
        "sen_status": rng.choice(SEN_STATUSES[:1] * 3 + SEN_STATUSES[1:]),
        "primary_need": primary,
        "secondary_need": second_need,
        "looked_after": rng.random() < 0.12,
        "attendance_percent": float(rng.choice((rng.randint(62, 99), rng.randint(850, 990) / 10))),
        "suspensions_this_year": rng.choice((0, 1, 2, 3)) if behaviour else 0,
        "at_risk_of_exclusion": behaviour and rng.random() < 0.4,
        "professionals_involved": (
            narrative(rng, "professionals_involved", child) if rng.random() < 0.8 else None
        ),
        "parent_name": people.parent_name(rng, surname),
        "parent_consent": True,
        "consent_date": None,
        "parent_views": narrative(rng, "parent_views", child),
        "child_views": narrative(rng, "child_views", child),
        "needs_summary": narrative(rng, "needs_summary", child),
        "apdr_cycles": rng.randint(2, 4),
        "support_in_place": narrative(rng, "support_in_place", child),
        "outcomes_sought": narrative(rng, "outcomes_sought", child),
        "funding_use": narrative(rng, "funding_use", child),
        "amount_requested": None,
        "funding_start": None,
        "funding_end": None,
        "headteacher_signature": f"{head_first[0]}. {head_last}",
        "declaration_date": None,
    }
    lines = make_lines(rng, primary, second_need)
    form["amount_requested"] = round(line_total(lines) - ELEMENT2, 2)
    label = people.initials(forename, surname)
    message_id = f"<{rng.getrandbits(64):016x}.{rng.getrandbits(32):08x}@{domain}>"
    referral = SampleReferral(
        values=form,
        lines=lines,
        map_header={
            "setting_name": written,
            "pupil_name": f"{forename} {surname}",
            "upn": form["upn"],
            "year_group": year_group,
        },
        setting=setting.name,
        setting_as_written=written,
        sender=sender,
        sender_name=f"{senco_first} {senco_last}",
        subject=f"IPN referral – {label} – {written}",
        body=_body(rng, label, year_group, f"{senco_first} {senco_last}", written),
        received_at=arrival,
        document_time=arrival,
        message_id=message_id,
        document_seed=message_id,
        mailbox=config.cluster.mailbox,
        form_filename=rng.choice(
            (
                f"IPN Referral - {label}.docx",
                f"{label.replace('.', '')} IPN referral form.docx",
                f"Referral form {label}.docx",
            )
        ),
        map_filename=rng.choice(
            (f"Costed Provision Map - {label}.xlsx", f"{label.replace('.', '')} provision map.xlsx")
        ),
        supporting_filename=f"{report_name} {label.replace('.', '')}.pdf",
        supporting_title=report_title,
    )
    return redate(referral, arrival, rng)


def redate(referral: SampleReferral, received_at: datetime, rng: random.Random) -> SampleReferral:
    """Move a referral to a new arrival time, keeping every date rule satisfied."""
    declared = received_at.date() - timedelta(days=rng.randint(0, 5))
    consent = declared - timedelta(days=rng.randint(7, 100))
    start = dates.add_months(date(declared.year, declared.month, 1), rng.randint(1, 2))
    end = dates.add_months(start, rng.randint(6, 12)) - timedelta(days=1)
    year_group = str(referral.values["year_group"])
    dob = referral.values["date_of_birth"]
    if not isinstance(dob, date) or dates.year_group_on(dob, declared) != dates.year_index(
        year_group
    ):
        dob = dates.birth_date_for(rng, year_group, declared)
    form = {
        **referral.values,
        "declaration_date": declared,
        "consent_date": consent,
        "funding_start": start,
        "funding_end": end,
        "date_of_birth": dob,
    }
    header = {
        **referral.map_header,
        "date_of_birth": dob,
        "date_completed": declared - timedelta(days=rng.randint(0, 3)),
    }
    written_at = received_at - timedelta(minutes=rng.randint(20, 600))
    return referral.model_copy(
        update={
            "values": form,
            "map_header": header,
            "received_at": received_at,
            "document_time": written_at,
        }
    )


def recost(referral: SampleReferral, lines: tuple[LineValues, ...]) -> SampleReferral:
    """New provision lines, with the form's amount requested following the map's."""
    updated = referral.model_copy(update={"lines": lines})
    form = {**referral.values, "amount_requested": updated.map_amount_requested}
    return updated.model_copy(update={"values": form})


def _as_written(rng: random.Random, setting: Setting) -> str:
    """The setting's name as its staff type it: usually in full, sometimes an alias."""
    loose = [a for a in setting.aliases if len(a) > 8]
    return rng.choice(loose) if loose and rng.random() < 0.3 else setting.name


def _body(rng: random.Random, label: str, year_group: str, senco: str, setting: str) -> str:
    greeting = rng.choice(("Dear Central Cluster team,", "Good morning,", "Hello,"))
    return (
        f"{greeting}\n\nPlease find attached an Individual Pupil Need referral for {label} "
        f"({year_group}), with the costed provision map. Parental consent has been given.\n\n"
        f"Please let me know if you need anything further.\n\nKind regards,\n\n{senco}\n"
        f"SENCo, {setting}\n"
    )
