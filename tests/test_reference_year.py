"""The year in a case reference is the academic year of the meeting that hears the request:
a capital bid sent before the round opens on 1 September is a bid of that round, and a
referral sent in the summer holidays is heard (and funded) in the autumn."""

from __future__ import annotations

import random
from datetime import date, datetime, time

from capital_world import LONDON, ROUND_MEETING, bid_arriving, run
from records import record_of

from pipeline.config import Config
from testkit.samples import sample
from testkit.samples.case import SampleReferral, redate
from testkit.samples.email_message import render_email
from testkit.samples.follow_up import follow_up


def test_a_capital_bid_sent_before_the_round_opens_gets_the_rounds_year_in_its_reference(
    config: Config,
) -> None:
    early = bid_arriving(config, 6, date(2025, 8, 28))
    run(config)
    record = record_of(early, config.paths.outbox)
    assert record["meeting"] == ROUND_MEETING.isoformat()
    assert str(record["case_ref"]).startswith("CC-2526-")


def summer_referral(config: Config, day: date) -> SampleReferral:
    """A clean IPN referral sent without its provision map on ``day``."""
    referral = sample(3, "clean", config, seed=303)
    assert isinstance(referral, SampleReferral)
    sent = redate(referral, datetime.combine(day, time(11), LONDON), random.Random(3))
    return sent.model_copy(update={"include_map": False})


def test_a_referral_sent_in_august_gets_the_year_of_the_autumn_meeting_that_hears_it(
    config: Config,
) -> None:
    referral = summer_referral(config, date(2025, 8, 27))
    path = config.paths.inbox / "001-referral.eml"
    path.write_bytes(render_email(referral))
    run(config)
    record = record_of(path, config.paths.outbox)
    assert record["meeting"] == "2025-10-16"
    assert str(record["case_ref"]).startswith("CC-2526-")


def test_a_provision_map_sent_on_1_september_joins_the_referral_sent_in_august(
    config: Config,
) -> None:
    referral = summer_referral(config, date(2025, 8, 29))
    first = config.paths.inbox / "001-referral.eml"
    first.write_bytes(render_email(referral))
    later = config.paths.inbox / "002-map.eml"
    later.write_bytes(follow_up(referral, case_ref=None, days_later=3))  # Monday 1 September
    run(config)
    referred, mapped = (record_of(p, config.paths.outbox) for p in (first, later))
    assert mapped["case_ref"] == referred["case_ref"]
    assert mapped["status"] == "complete"
