"""When an email arrived is when the council's side received it, never the sender's own
clock: a Date header written before a cut-off does not beat it. The mailbox's received time
(IMAP INTERNALDATE) counts first; a file in the drop folder counts its topmost Received header
(our mail server's stamp); a Date far from the arrival is noted for the admin."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from records import codes, record_of

from pipeline.config import Config
from pipeline.models import Meeting
from pipeline.rules.cutoff import meetings
from pipeline.runner import open_context, run_inbox, run_source
from pipeline.sources.imap import ImapSource
from testkit.samples import sample
from testkit.samples.case import SampleReferral
from testkit.samples.email_message import render_email

if TYPE_CHECKING:
    from dovecot import Account

pytest_plugins = ["dovecot"]
LONDON = ZoneInfo("Europe/London")


def on_time_referral(config: Config) -> tuple[SampleReferral, Meeting]:
    """A clean referral whose Date header is in good time, and the meeting that date makes."""
    referral = sample(1, "clean", config, seed=101)
    assert isinstance(referral, SampleReferral)
    sent = referral.received_at.astimezone(LONDON).date()
    meeting = next(m for m in meetings(config.meetings) if sent < m.cutoff)
    return referral, meeting


def at_london(day: date, hour: int = 16) -> datetime:
    return datetime.combine(day, time(hour, 45), LONDON)


def stamped(email: bytes, *received: datetime) -> bytes:
    """The email as it leaves our mail server: one Received header per hop, ours on top."""
    hops = [
        f"Received: from mail.school.sch.example (mail.school.sch.example [192.0.2.{i}])\r\n"
        f"\tby mx{i}.stoke.gov.uk with ESMTPS id 4ab1{i};\r\n"
        f"\t{moment.strftime('%a, %d %b %Y %H:%M:%S %z')}\r\n"
        for i, moment in enumerate(received, start=1)
    ]
    return "".join(hops).encode() + email


def run_folder(config: Config, email: bytes) -> dict[str, object]:
    path = config.paths.inbox / "001-referral.eml"
    path.write_bytes(email)
    with open_context(config) as ctx:
        run_inbox(ctx)
    return record_of(path, config.paths.outbox)


def test_a_backdated_date_header_does_not_beat_the_cut_off_our_server_stamped(
    config: Config,
) -> None:
    referral, meeting = on_time_referral(config)
    record = run_folder(config, stamped(render_email(referral), at_london(meeting.cutoff)))
    assert "late_for_meeting" in codes(record)
    assert record["meeting"] != meeting.day.isoformat()


@pytest.mark.parametrize("hops", [1, 3])
def test_arrival_is_the_topmost_received_header_whatever_the_lower_ones_say(
    config: Config, hops: int
) -> None:
    referral, meeting = on_time_referral(config)
    ours = at_london(meeting.cutoff, hour=9)
    # the lower hops are the sender's side, whose clock is as backdated as its Date header
    theirs = [referral.received_at] * (hops - 1)
    record = run_folder(config, stamped(render_email(referral), ours, *theirs))
    assert datetime.fromisoformat(str(record["received_at"])) == ours


def test_a_date_header_days_from_the_arrival_is_noted(config: Config) -> None:
    referral, meeting = on_time_referral(config)
    record = run_folder(config, stamped(render_email(referral), at_london(meeting.cutoff)))
    assert "date_header_differs" in codes(record)


def test_a_date_header_close_to_the_arrival_is_not_noted(config: Config) -> None:
    referral, _ = on_time_referral(config)
    record = run_folder(config, stamped(render_email(referral), referral.received_at))
    assert "date_header_differs" not in codes(record)


def test_a_drop_folder_file_without_a_received_header_arrives_at_its_date(
    config: Config,
) -> None:
    referral, meeting = on_time_referral(config)
    record = run_folder(config, render_email(referral))
    assert record["meeting"] == meeting.day.isoformat()
    assert datetime.fromisoformat(str(record["received_at"])) == referral.received_at


def test_the_imap_mailboxs_received_time_beats_a_backdated_date_header(
    account: Account, config: Config, tmp_path: Path
) -> None:
    referral, meeting = on_time_referral(config)
    email = render_email(referral)
    account.append(email, received=at_london(meeting.cutoff))
    config = account.configure(config)
    with open_context(config) as ctx:
        source = ImapSource.from_config(config.mailbox, ctx.register)
        try:
            run_source(source, ctx)
        finally:
            source.close()
    (path := tmp_path / "sent.eml").write_bytes(email)
    record = record_of(path, config.paths.outbox)
    assert "late_for_meeting" in codes(record)
    assert record["meeting"] != meeting.day.isoformat()
