"""Seed exactly one SPEC rule breach into a clean referral, keyed by the rule's code.

Each function takes a clean :class:`SampleReferral` and returns one that breaks that rule and
no other: when a change would also trip a second rule (a shifted date, a changed total), the
function adjusts the neighbouring values so the second rule still passes. The one accepted
exception is noted at ``age_out_of_range``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from pipeline.config import Config
from testkit.samples import dates, narratives, people
from testkit.samples.case import SampleReferral, recost, redate
from testkit.samples.extras import BROKEN_SUPPORT_PLAN, MACRO_WORKBOOK, NEWSLETTER
from testkit.samples.provision import annual_cost

Defect = Callable[[SampleReferral, random.Random, Config], SampleReferral]
UNKNOWN_SETTING = "Riverside Primary School"


def _form(referral: SampleReferral, **values: object) -> SampleReferral:
    return referral.model_copy(update={"values": {**referral.values, **values}})


def _pupil(referral: SampleReferral, **values: object) -> SampleReferral:
    """Change pupil values in both documents, so they still agree with each other."""
    header = {key: values[key] for key in ("upn", "date_of_birth", "year_group") if key in values}
    changed = _form(referral, **values)
    return changed.model_copy(update={"map_header": {**referral.map_header, **header}})


def _date(referral: SampleReferral, field_id: str) -> date:
    value = referral.values[field_id]
    if not isinstance(value, date):
        raise TypeError(f"{field_id} is not a date in this referral")
    return value


def missing_field(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    # A text field, not a narrative: a blank longtext might be read as short_narrative too.
    return _form(r, senco_name=None)


def invalid_value(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _form(r, attendance_percent=rng.choice(("ninety", "ninety per cent", "very good")))


def short_narrative(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    child = narratives.Child.of(
        str(r.values["pupil_forename"]),
        "he",
        str(r.values["year_group"]),
        str(r.values["primary_need"]),
    )
    return _form(r, child_views=narratives.short(rng, child))


def missing_document(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return r.model_copy(update={"include_map": False})


def unknown_setting(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    # Forwarded by the council (an accepted domain that belongs to no setting), so the sender
    # is known and no setting's domain disagrees with the name: only the name is unknown.
    council = c.senders.accept_domains[0] if c.senders.accept_domains else r.sender.split("@")[1]
    local = r.sender.partition("@")[0]
    changed = _form(
        r, setting_name=UNKNOWN_SETTING, senco_email=f"{local}@riversideprimary.sch.example"
    )
    return changed.model_copy(
        update={
            "setting": UNKNOWN_SETTING,
            "setting_as_written": UNKNOWN_SETTING,
            "map_header": {**r.map_header, "setting_name": UNKNOWN_SETTING},
            "sender": f"send.inclusion@{council}",
            "message_id": f"{r.message_id.rpartition('@')[0]}@{council}>",
            "sender_name": "SEND Inclusion Team",
            "subject": r.subject.replace(r.setting_as_written, UNKNOWN_SETTING),
            "body": (
                f"Forwarding a referral sent to us by {UNKNOWN_SETTING}.\n\n"
                + r.body.replace(r.setting_as_written, UNKNOWN_SETTING)
            ),
        }
    )


def invalid_upn(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _pupil(r, upn=people.with_wrong_check_letter(str(r.values["upn"])))


def upn_other_la(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _pupil(r, upn=people.make_upn(rng, la=860))


def age_out_of_range(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    # One year old on the declaration date. The youngest year group is Nursery, and a one-year-
    # old is too young even for that, so year_group_mismatch may be reported alongside.
    born = _date(r, "declaration_date") - timedelta(days=rng.randint(400, 700))
    return _pupil(r, date_of_birth=born, year_group="Nursery")


def year_group_mismatch(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    index = dates.year_index(str(r.values["year_group"]))
    return _pupil(r, year_group=dates.year_name(index + 1 if index < 11 else index - 1))


def identity_mismatch(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    upn = str(r.values["upn"])
    other = upn
    while other == upn:
        other = people.make_upn(rng, establishment=int(upn[4:8]), year=int(upn[8:10]))
    return r.model_copy(update={"map_header": {**r.map_header, "upn": other}})


def no_consent(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _form(r, parent_consent=False)


def consent_stale(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _form(r, consent_date=dates.add_months(_date(r, "declaration_date"), -14))


def date_in_future(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _form(r, declaration_date=r.received_at.date() + timedelta(days=10))


def date_order(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    end = _date(r, "funding_start") - timedelta(days=rng.randint(20, 90))
    return _form(r, funding_end=end)


def funding_period_over_year(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _form(r, funding_end=dates.add_months(_date(r, "funding_start"), 15))


def few_apdr_cycles(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _form(r, apdr_cycles=1)


def line_cost_mismatch(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    # The total is SUM() of the written costs and the form follows it, so totals reconcile.
    index = rng.randrange(len(r.lines))
    wrong = round(float(r.lines[index]["annual_cost"]) + rng.choice((-50.0, 50.0)), 2)
    return recost(r.model_copy(update={"written_costs": {index: wrong}}), r.lines)


def total_mismatch(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    # Only the total disagrees with its lines: the amount requested (a formula on the map, and
    # on the form) is the written total less Element 2, so nothing else is out of step.
    written = round(r.map_total + 500, 2)
    return recost(r.model_copy(update={"written_total": written}), r.lines)


def amount_mismatch(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _form(r, amount_requested=round(r.map_amount_requested + rng.choice((-300, 300)), 2))


def weeks_over_school_year(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    index = rng.randrange(len(r.lines))
    line = {**r.lines[index], "weeks": 45}
    line["annual_cost"] = annual_cost(line)
    return recost(r, (*r.lines[:index], line, *r.lines[index + 1 :]))


def signature_missing(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return _form(r, headteacher_signature=None)


def unknown_sender(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    local = r.sender.partition("@")[0].replace(".", "")
    return r.model_copy(
        update={
            "sender": f"{local}{rng.randint(70, 99)}@gmail.com",
            "message_id": r.message_id.rpartition("@")[0] + "@mail.gmail.com>",
        }
    )


def duplicate_submission(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return r.model_copy(update={"send_twice": True})


def unreadable_document(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    # An extra Word file cut short. A broken referral form (``corrupt_form``) would also leave
    # the request without its form, so missing_document would come along.
    return r.model_copy(update={"extras": (*r.extras, BROKEN_SUPPORT_PLAN)})


def blocked_file_type(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    # The real .xlsx stays attached, so the request is not missing its provision map.
    return r.model_copy(update={"extras": (*r.extras, MACRO_WORKBOOK)})


def unrecognised_document(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    # A newsletter sent by mistake, and sometimes a professional's report as well: neither is
    # a cluster form, and both are kept as supporting documents.
    return r.model_copy(
        update={"extras": (*r.extras, NEWSLETTER), "include_supporting": rng.random() < 0.5}
    )


def late_for_meeting(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return redate(r, dates.late_for_a_meeting(rng, c), rng)


def no_meeting_scheduled(r: SampleReferral, rng: random.Random, c: Config) -> SampleReferral:
    return redate(r, dates.after_last_meeting(rng, c), rng)


DEFECTS: dict[str, Defect] = {
    defect.__name__: defect
    for defect in (
        missing_field,
        invalid_value,
        short_narrative,
        missing_document,
        unknown_setting,
        invalid_upn,
        upn_other_la,
        age_out_of_range,
        year_group_mismatch,
        identity_mismatch,
        no_consent,
        consent_stale,
        date_in_future,
        date_order,
        funding_period_over_year,
        few_apdr_cycles,
        line_cost_mismatch,
        total_mismatch,
        amount_mismatch,
        weeks_over_school_year,
        signature_missing,
        unknown_sender,
        duplicate_submission,
        unreadable_document,
        blocked_file_type,
        unrecognised_document,
        late_for_meeting,
        no_meeting_scheduled,
    )
}
