"""Which meeting hears a request (SPEC section 3: cut-off 10 working days before)."""

from datetime import date

from pipeline.config import Config
from pipeline.rules.cutoff import assign_meeting, cutoff


def test_cutoff_counts_back_ten_working_days_skipping_weekends() -> None:
    assert cutoff(date(2025, 10, 16), 10) == date(2025, 10, 2)


def test_request_arriving_before_the_cutoff_goes_to_that_meeting(config: Config) -> None:
    meeting, findings = assign_meeting(date(2025, 10, 1), config.meetings)
    assert meeting is not None and meeting.day == date(2025, 10, 16)
    assert findings == []


def test_request_arriving_on_the_cutoff_day_is_late_and_heard_next_time(config: Config) -> None:
    meeting, findings = assign_meeting(date(2025, 10, 2), config.meetings)
    assert meeting is not None and meeting.day == date(2025, 12, 11)
    assert [f.code for f in findings] == ["late_for_meeting"]
    assert "11/12/2025" in findings[0].message


def test_request_after_the_last_meeting_has_no_meeting(config: Config) -> None:
    meeting, findings = assign_meeting(date(2026, 7, 20), config.meetings)
    assert meeting is None
    assert [f.code for f in findings] == ["no_meeting_scheduled"]
