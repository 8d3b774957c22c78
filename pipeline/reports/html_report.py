"""The admin's referrals report: one self-contained HTML page, a summary and a section per case.

The page carries its own CSS and no scripts, fonts or images from elsewhere: it opens from a
shared drive or an email attachment exactly as it was written, and prints one case per page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.atomic import write_text_atomic
from pipeline.config import Config
from pipeline.models import Status, Submission
from pipeline.reports import wording
from pipeline.reports.view import SubmissionView, newest_first, view_submission

TEMPLATES = Path(__file__).parent / "templates"

_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Tally:
    """One of the counts at the top of the report."""

    label: str
    number: int
    tone: str


def write_html_report(
    path: Path, submissions: Sequence[Submission], config: Config, generated_at: datetime
) -> None:
    """Write the report of ``submissions`` to ``path`` atomically, newest submission first."""
    write_text_atomic(path, render_html_report(submissions, config, generated_at))


def render_html_report(
    submissions: Sequence[Submission], config: Config, generated_at: datetime
) -> str:
    views = [view_submission(s) for s in newest_first(submissions)]
    return _ENV.get_template("report.html").render(
        cluster=config.cluster.name,
        mailbox=config.cluster.mailbox,
        generated=wording.format_moment(generated_at),
        submissions=views,
        tallies=_tallies(views),
    )


def _tallies(views: Sequence[SubmissionView]) -> list[Tally]:
    def with_status(status: Status) -> int:
        return sum(1 for v in views if v.status == status.value)

    return [
        Tally("Submissions", len(views), "neutral"),
        Tally("Complete", with_status(Status.complete), "complete"),
        Tally("Incomplete", with_status(Status.incomplete), "incomplete"),
        Tally("Quarantined", with_status(Status.quarantined), "quarantined"),
        Tally("Errors (must fix)", sum(v.errors for v in views), "error"),
        Tally("Warnings (panel should know)", sum(v.warnings for v in views), "warning"),
    ]
