"""Writing the reports over a long register: what the run holds grows far slower than what it
writes.

``write_reports`` keeps something of every submission until it can write report.html newest
first. If that were each submission's rendered section, a backlog of thousands of emails would
hold the whole report in memory at the end of the run (issue 17: the process tree under 400 MB
at 2,000 emails). Measured as growth between two register sizes (tracemalloc, this process's
Python allocations), so the fixed costs cancel out and nothing depends on the machine.
"""

from __future__ import annotations

import tracemalloc
from datetime import timedelta
from pathlib import Path

from test_reports import sample_submissions

from pipeline.config import Config
from pipeline.models import Message, Submission
from pipeline.runner import REPORT_NAME, open_context, run_inbox, write_reports

SMALL, LARGE = 30, 120


def _copies(count: int) -> list[Submission]:
    """``count`` submissions like the samples, each its own email a minute after the last."""
    samples = sample_submissions()
    return [
        samples[n % len(samples)].model_copy(
            update={
                "submission_id": f"m-{n:05d}",
                "received_at": samples[0].received_at + timedelta(minutes=n),
            }
        )
        for n in range(count)
    ]


def _message(submission: Submission) -> Message:
    return Message(
        id=submission.submission_id,
        sha256=f"{int(submission.submission_id[2:]):064x}",
        source="test",
        message_id=None,
        sender=submission.sender,
        subject="referral",
        received_at=submission.received_at,
        attachments=(),
    )


def _growth_of_writing(config: Config, root: Path, count: int) -> tuple[int, int]:
    """Peak Python allocations while writing the reports over ``count`` submissions, and the
    bytes of report.html written."""
    root = root / f"register-{count}"
    (root / "inbox").mkdir(parents=True)
    sized = config.under(root)
    with open_context(sized) as ctx:
        for submission in _copies(count):
            ref = ctx.register.case_ref_for(submission.submission_id, "2526", "CC")
            recorded = submission.model_copy(update={"case_ref": ref})
            ctx.register.record(_message(recorded), recorded.submission_id, [recorded])
        write_reports(ctx)  # once first: templates, fonts and caches loaded
        tracemalloc.start()
        try:
            write_reports(ctx)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return peak, (sized.paths.outbox / REPORT_NAME).stat().st_size


def test_report_writing_holds_less_per_submission_than_it_writes(
    shipped_config: Config, tmp_path: Path
) -> None:
    small_peak, small_bytes = _growth_of_writing(shipped_config, tmp_path, SMALL)
    large_peak, large_bytes = _growth_of_writing(shipped_config, tmp_path, LARGE)
    held_per_submission = (large_peak - small_peak) / (LARGE - SMALL)
    written_per_submission = (large_bytes - small_bytes) / (LARGE - SMALL)
    # What has to be kept (sort key, summary row, tracker rows) is about twice the bytes a
    # short sample adds to the page; keeping its rendered section as well adds that again.
    assert held_per_submission < written_per_submission * 2.5


def test_what_publishing_made_for_the_reports_is_let_go_once_they_are_written(
    config: Config,
) -> None:
    """Each JSON published hands its submission's part of the reports to their next writing,
    so that the record is not typed again; once the reports are written nothing of it stays."""
    golden = Path(__file__).resolve().parent / "golden" / "emails"
    for path in sorted(golden.glob("*.eml"))[:3]:
        (config.paths.inbox / path.name).write_bytes(path.read_bytes())
    with open_context(config) as ctx:
        summary = run_inbox(ctx)
        held = dict(ctx.published)
    assert summary.processed == 3
    assert held == {}
