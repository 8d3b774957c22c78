"""The impact measures: baselines from referrals, outcomes from reviews and the admin's own
counts, on an impact page in every bundle and in the tracker, matching the inputs."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from capital_world import LONDON, bundle_text, run
from records import record_of
from test_capital_after_panel import pipeline_command
from test_decisions_roundtrip import fill

from pipeline.admin import make_bundle
from pipeline.config import Config
from pipeline.meetings.record_decisions import import_decisions
from pipeline.runner import open_context, write_reports
from testkit.reliability.config_file import write_config
from testkit.samples import make_referral, make_sample, render_email
from testkit.samples.kinds.form import SampleForm, redate

OCTOBER, DECEMBER = date(2025, 10, 16), date(2025, 12, 11)
BASELINES = (  # attendance %, suspensions, at risk of exclusion, SEN status
    (85.0, 2, True, "EHC needs assessment in progress"),
    (90.0, 3, False, "SEN Support"),
)


def referral(config: Config, number: int, values: tuple[float, int, bool, str]) -> Path:
    rng = random.Random(900 + number)
    arrival = datetime.combine(date(2025, 9, 15), time(9 + number), LONDON)
    sample = make_referral(rng, config, received_at=arrival)
    attendance, suspensions, at_risk, status = values
    changed = {
        "attendance_percent": attendance,
        "suspensions_this_year": suspensions,
        "at_risk_of_exclusion": at_risk,
        "sen_status": status,
    }
    sample = sample.model_copy(update={"values": {**sample.values, **changed}})
    path = config.paths.inbox / f"referral-{number}.eml"
    path.write_bytes(render_email(sample))
    return path


def review(config: Config, case_ref: str) -> Path:
    sample = make_sample("funding_review", 3, "clean", config, seed=903)
    assert isinstance(sample, SampleForm)
    changed = {
        "case_ref": case_ref,
        "attendance_before": 85.0,
        "attendance_after": 93.0,
        "suspensions_before": 2,
        "suspensions_after": 0,
        "recommendation": "Continue funding",
    }
    sample = sample.model_copy(update={"values": {**sample.values, **changed}})
    arrival = datetime.combine(date(2025, 11, 10), time(10), LONDON)
    sample = redate(sample, arrival, random.Random(3))
    path = config.paths.inbox / "review.eml"
    path.write_bytes(render_email(sample))
    return path


@pytest.fixture
def year(config: Config, tmp_path: Path) -> tuple[Config, str]:
    """Two referrals in September, a review of the first in November, the admin's counts."""
    paths = [referral(config, n, values) for n, values in enumerate(BASELINES, start=1)]
    run(config)
    reviewed = str(record_of(paths[0], config.paths.outbox)["case_ref"])
    review(config, reviewed)
    run(config)
    config_path = write_config(config, tmp_path / "config.toml")
    for measure, count, day in (
        ("special_school_moves", "2", "2025-10-01"),
        ("isp_moves", "1", "2025-11-20"),
        ("ehcna_requests", "3", "2025-11-25"),
    ):
        done = pipeline_command(config_path, "impact", "count", measure, count, "--on", day)
        assert done.returncode == 0, done.stderr
    return config, reviewed


def impact_sheet(config: Config, meeting: date) -> dict[str, tuple[object, object]]:
    sheet = openpyxl.load_workbook(config.paths.outbox / "tracker.xlsx")["Impact"]
    return {
        str(label): (here, year)
        for day, label, here, year in sheet.iter_rows(min_row=2, values_only=True)
        if day is not None and day.date() == meeting
    }


def bundle_of(config: Config, meeting: date) -> str:
    with open_context(config) as ctx:
        make_bundle(ctx, meeting, by="Cluster admin")
    return bundle_text(config.paths.outbox / "meetings" / meeting.isoformat())


def test_octobers_impact_page_shows_the_referrals_baselines(year: tuple[Config, str]) -> None:
    config, _ = year
    text = bundle_of(config, OCTOBER)
    assert "Impact measures" in text
    assert "Pupils referred (IPN) 2 2" in text
    assert "Mean attendance at referral (%) 87.5% 87.5%" in text
    assert "Suspensions this year, at referral 5 5" in text
    assert "At risk of permanent exclusion, at referral 1 1" in text


def test_decembers_impact_page_shows_the_change_since_referral_of_the_reviewed_case(
    year: tuple[Config, str],
) -> None:
    config, reviewed = year
    text = bundle_of(config, DECEMBER)
    assert f"{reviewed} 85.0% → 93.0% +8 points 2 → 0 -2" in text


def test_the_tracker_shows_the_same_figures_and_the_admins_counts_by_meeting(
    year: tuple[Config, str],
) -> None:
    config, reviewed = year
    october, december = impact_sheet(config, OCTOBER), impact_sheet(config, DECEMBER)
    assert october["Pupils referred (IPN)"] == (2, 2)
    assert october["Mean attendance at referral (%)"] == (87.5, 87.5)
    assert october["Suspensions this year, at referral"] == (5, 5)
    assert december[f"{reviewed}: attendance change since referral (points)"] == (None, 8)
    assert december[f"{reviewed}: suspensions change since referral"] == (None, -2)
    isp = "Children moving into independent specialist provision (ISP) (counted by the admin)"
    special = "Children moving from mainstream to special school (counted by the admin)"
    ehcna = "Requests for an EHC needs assessment (counted by the admin)"
    assert october[special] == (2, 2) and october[isp] == (0, 0)
    assert december[special] == (0, 2) and december[isp] == (1, 1) and december[ehcna] == (3, 3)


def test_a_case_deferred_at_a_meeting_still_counts_in_that_meetings_figures_on_the_tracker(
    year: tuple[Config, str],
) -> None:
    config, _ = year
    assert "Pupils referred (IPN) 2 2" in bundle_of(config, OCTOBER)
    log = config.paths.outbox / "meetings" / OCTOBER.isoformat() / "decision-log.xlsx"
    fill(log, [("Deferred", None, None), ("Deferred", None, None)])
    with open_context(config) as ctx:
        import_decisions(ctx, log, OCTOBER, by="Cluster admin")
        write_reports(ctx)
    assert impact_sheet(config, OCTOBER)["Pupils referred (IPN)"] == (2, 2)
