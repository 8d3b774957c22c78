"""After the round meeting: the outcome email recommends and says what follows; the admin
records completion, the QA visit, paid invoices, the release of funds and the September
evaluation by a command, and the tracker shows them."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from capital_world import ROUND_MEETING, fill_scores, make_round_bundle, round_with_bids
from test_decisions_roundtrip import fill

from pipeline.config import Config
from pipeline.meetings.capital.scores import import_scores
from pipeline.meetings.pack import meeting_pack
from pipeline.meetings.record_decisions import import_decisions
from pipeline.runner import open_context
from testkit.reliability.config_file import write_config


@pytest.fixture
def recommended(config: Config) -> tuple[Config, str, str]:
    """Two bids scored at the round meeting: the first agreed (recommended), the second
    declined; (config, recommended ref, declined ref)."""
    first, second = sorted(round_with_bids(config, [8_000, 7_000]))
    folder = make_round_bundle(config)
    fill_scores(folder / "scoring-sheet.xlsx", {first: (5,) * 6, second: (2,) * 6})
    log = folder / "decision-log.xlsx"
    fill(log, [("Agreed", 8_000, None), ("Declined", None, None)])
    with open_context(config) as ctx:
        import_scores(ctx, folder / "scoring-sheet.xlsx", ROUND_MEETING, by="Cluster admin")
        import_decisions(ctx, log, ROUND_MEETING, by="Cluster admin")
    return config, first, second


def outcome_text(config: Config, ref: str) -> str:
    path = config.paths.outbox / "meetings" / ROUND_MEETING.isoformat() / "outcomes" / f"{ref}.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body()
    assert body is not None
    return " ".join(body.get_content().split())


def test_a_recommended_bid_is_told_what_follows_and_not_to_send_a_review_form(
    recommended: tuple[Config, str, str],
) -> None:
    config, ref, _ = recommended
    text = outcome_text(config, ref)
    assert (
        "Decision: recommended. The panel has recommended the bid to the Local Authority's "
        "Place, Planning and Sufficiency Board for £8,000.00." in text
    )
    assert "complete the project by 31 August 2026" in text
    assert "a quality-assurance visit" in text and "send the paid invoices" in text
    assert "the funding is then released to the setting" in text
    assert "Funding Review" not in text and "review" not in text.replace("Review", "")


def test_a_declined_bid_is_told_it_was_not_recommended(
    recommended: tuple[Config, str, str],
) -> None:
    config, _, ref = recommended
    text = outcome_text(config, ref)
    assert "Decision: Declined. The panel did not recommend the bid." in text
    assert "Funding Review" not in text


def test_a_recommended_bid_gets_no_review_date_and_is_never_listed_as_a_review_due(
    recommended: tuple[Config, str, str],
) -> None:
    config, ref, _ = recommended
    with open_context(config) as ctx:
        decision = ctx.register.decision(ref)
        assert decision is not None and decision.review_date is None
        later = [day for day in config.meetings.dates if day > ROUND_MEETING]
        assert all(
            ref not in {r.case_ref for r in meeting_pack(ctx, day).reviews_due} for day in later
        )


def pipeline_command(config_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``pipeline ARGS --config PATH`` as the admin types it."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args, "--config", str(config_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_funds_are_released_only_after_completion_qa_visit_and_paid_invoices(
    recommended: tuple[Config, str, str], tmp_path: Path
) -> None:
    config, ref, _ = recommended
    path = write_config(config, tmp_path / "config.toml")
    early = pipeline_command(
        path, "capital", "record", ref, "--step", "funds_released", "--on", "2026-06-01"
    )
    assert early.returncode == 1
    assert early.stderr.strip() == (
        f"error: {ref}: funds are released only after project completed, "
        "quality-assurance visit, paid invoices received"
    )


def test_the_tracker_shows_each_step_of_a_recommended_bid(
    recommended: tuple[Config, str, str], tmp_path: Path
) -> None:
    config, ref, _ = recommended
    path = write_config(config, tmp_path / "config.toml")
    steps = (
        ("completed", "2026-07-20"),
        ("qa_visit", "2026-07-28"),
        ("invoices_paid", "2026-08-03"),
        ("funds_released", "2026-08-10"),
    )
    for step, day in steps:
        done = pipeline_command(path, "capital", "record", ref, "--step", step, "--on", day)
        assert done.returncode == 0, done.stderr
    evaluated = pipeline_command(
        path,
        "capital",
        "record",
        ref,
        "--step",
        "evaluated",
        "--on",
        "2026-09-24",
        "--note",
        "Sensory room used daily by 11 pupils with EHC plans",
    )
    assert evaluated.returncode == 0, evaluated.stderr
    sheet = openpyxl.load_workbook(config.paths.outbox / "tracker.xlsx")["Capital"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == ref)
    cells = dict(zip(header, row, strict=True))
    assert cells["Score (of 30)"] == 30 and cells["Decision"] == "Agreed"
    assert [
        cells[label].date().isoformat()
        for label in (
            "Project completed",
            "Quality-assurance visit",
            "Paid invoices received",
            "Funds released",
            "Evaluation of impact",
        )
    ] == ["2026-07-20", "2026-07-28", "2026-08-03", "2026-08-10", "2026-09-24"]
    assert cells["Evaluation"] == "Sensory room used daily by 11 pupils with EHC plans"
