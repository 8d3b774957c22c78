"""The capital round as the seeds run it: bids held until the round closes and heard together
at the first meeting after 31 December; a bid after the round gets a finding saying so."""

from __future__ import annotations

import email
import email.policy
import random
from datetime import date, datetime, time
from pathlib import Path

from capital_world import LONDON, ROUND_MEETING, bid_arriving, run
from records import codes, record_of

from pipeline.config import Config
from pipeline.runner import open_context
from testkit.samples import make_sample, render_email
from testkit.samples.kinds.form import SampleForm, redate


def test_bids_from_september_to_december_are_all_listed_at_the_first_meeting_after_the_round(
    config: Config,
) -> None:
    days = (date(2025, 9, 8), date(2025, 10, 20), date(2025, 11, 27), date(2025, 12, 31))
    for index, day in enumerate(days, start=1):
        bid_arriving(config, index, day)
    run(config)
    with open_context(config) as ctx:
        listed = {
            meeting: ctx.register.cases_for_meeting(meeting)
            for meeting in (date(2025, 10, 16), date(2025, 12, 11), ROUND_MEETING)
        }
    assert listed[date(2025, 10, 16)] == [] and listed[date(2025, 12, 11)] == []
    assert len(listed[ROUND_MEETING]) == 4


def test_a_bid_after_31_december_gets_the_after_round_deadline_finding(config: Config) -> None:
    late = bid_arriving(config, 5, date(2026, 1, 6))
    run(config)
    record = record_of(late, config.paths.outbox)
    assert "after_round_deadline" in codes(record, "error")
    message = next(f["message"] for f in record["findings"] if f["code"] == "after_round_deadline")
    assert "after the round closed on 31/12/2025" in message and "06/01/2026" in message


def test_a_bid_after_the_round_meetings_cutoff_waits_for_the_next_round_at_no_meeting(
    config: Config,
) -> None:
    late = bid_arriving(config, 7, date(2026, 2, 2))
    run(config)
    record = record_of(late, config.paths.outbox)
    assert record["meeting"] is None
    assert codes(record, "error") == {"after_round_deadline"}
    with open_context(config) as ctx:
        assert all(
            record["case_ref"] not in ctx.register.cases_for_meeting(day)
            for day in (date(2026, 3, 19), date(2026, 5, 14), date(2026, 7, 9))
        )


def reply_text_of(config: Config, email_path: Path) -> str:
    submission_id = record_of(email_path, config.paths.outbox)["submission_id"]
    draft = email.message_from_bytes(
        (config.paths.outbox / "replies" / f"{submission_id}.eml").read_bytes(),
        policy=email.policy.default,
    )
    body = draft.get_body()
    assert body is not None
    return " ".join(body.get_content().split())


def test_a_late_bids_reply_gives_no_send_by_date_and_says_the_round_has_closed(
    config: Config,
) -> None:
    arrivals = {6: date(2026, 1, 6), 7: date(2026, 2, 2)}
    paths = {index: bid_arriving(config, index, day) for index, day in arrivals.items()}
    run(config)
    for index, day in arrivals.items():
        text = reply_text_of(config, paths[index])
        assert "Please send them by" not in text, day
        assert (
            "The capital round closed on 31 December 2025, before this bid arrived, so the "
            "panel cannot recommend it in this round." in text
        ), day


def test_a_bid_before_the_round_opens_is_held_for_the_round_meeting(config: Config) -> None:
    early = bid_arriving(config, 6, date(2025, 8, 20))
    run(config)
    record = record_of(early, config.paths.outbox)
    assert record["meeting"] == ROUND_MEETING.isoformat()
    assert "before_round_opens" in codes(record, "info")


def test_an_incomplete_bid_is_asked_for_corrections_by_the_day_the_round_closes(
    config: Config,
) -> None:
    rng = random.Random(8)
    sample = make_sample("capital_bid", 8, "cost_below_request", config, seed=708)
    assert isinstance(sample, SampleForm)
    sample = redate(sample, datetime.combine(date(2025, 11, 3), time(10), LONDON), rng)
    path = config.paths.inbox / "incomplete-bid.eml"
    path.write_bytes(render_email(sample))
    run(config)
    submission_id = record_of(path, config.paths.outbox)["submission_id"]
    draft = email.message_from_bytes(
        (config.paths.outbox / "replies" / f"{submission_id}.eml").read_bytes(),
        policy=email.policy.default,
    )
    body = draft.get_body()
    assert body is not None
    text = " ".join(body.get_content().split())
    assert "Please send them by 31 December 2025 to be heard on 5 February 2026." in text
