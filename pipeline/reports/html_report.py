"""The admin's referrals report: one self-contained HTML page, a summary and a section per case.

The page carries its own CSS and no scripts, fonts or images from elsewhere: it opens from a
shared drive or an email attachment exactly as it was written, and prints one case per page.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.atomic import write_text_atomic
from pipeline.config import Config
from pipeline.models import Status, Submission
from pipeline.outcomes import Decision
from pipeline.reports import wording
from pipeline.reports.view import (
    SortStub,
    SubmissionView,
    newest_first_entries,
    sort_stub,
    view_submission,
)

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
    path: Path, submissions: Iterable[Submission], config: Config, generated_at: datetime
) -> None:
    """Write the report of ``submissions`` to ``path`` atomically, newest submission first."""
    write_text_atomic(path, render_html_report(submissions, config, generated_at))


def render_html_report(
    submissions: Iterable[Submission], config: Config, generated_at: datetime
) -> str:
    report = HtmlReport(config, generated_at)
    for submission in submissions:
        report.add(submission)
    return report.render()


@dataclass(frozen=True)
class PackedSection:
    """A submission's rendered section, kept compressed until the page is written.

    The report holds every submission's section until it writes the page newest first, and
    a section is most of what it holds (about 15 KB of HTML; compressed, a tenth of that), so
    a register of thousands of submissions does not make the run's memory grow with it.
    """

    data: bytes

    @classmethod
    def of(cls, html: str) -> PackedSection:
        return cls(zlib.compress(html.encode("utf-8"), 1))

    def __html__(self) -> str:
        return zlib.decompress(self.data).decode("utf-8")


HtmlPart = tuple[SubmissionView, PackedSection]  # a submission's summary row and section


class HtmlReport:
    """The report built one submission at a time, so a long register is never all in memory:
    each submission leaves only its rendered section and the few values of its summary row."""

    def __init__(
        self,
        config: Config,
        generated_at: datetime,
        decisions: Mapping[str, Decision] | None = None,
    ) -> None:
        self.config = config
        self.generated_at = generated_at
        self.decided = {ref: _decided(d) for ref, d in (decisions or {}).items()}
        self._entries: list[tuple[SortStub, HtmlPart]] = []

    @staticmethod
    def part(submission: Submission) -> HtmlPart:
        """What the report keeps of a submission: its summary and section. It depends on the
        submission alone, so it can be kept while the submission is unchanged."""
        view = view_submission(submission)
        section = PackedSection.of(_ENV.get_template("submission.html").render(s=view))
        return replace(view, groups=(), documents=()), section

    def add(self, submission: Submission) -> None:
        self.add_part(sort_stub(submission), self.part(submission))

    def add_part(self, stub: SortStub, part: HtmlPart) -> None:
        """A submission's part, placed by its sort stub (see view.sort_stub)."""
        self._entries.append((stub, part))

    def render(self) -> str:
        return "".join(self.chunks())

    def chunks(self) -> Iterator[str]:
        """The page a piece at a time, so that it is written without being held whole."""
        entries = newest_first_entries(self._entries)
        views = [view for view, _ in entries]
        return _ENV.get_template("report.html").generate(
            cluster=self.config.cluster.name,
            mailbox=self.config.cluster.mailbox,
            generated=wording.format_moment(self.generated_at),
            submissions=views,
            sections=[section for _, section in entries],
            tallies=_tallies(views),
            decided=self.decided,
        )


def _decided(decision: Decision) -> tuple[str, str, str]:
    """The panel's decision as the report's row shows it: decision, agreed and committed."""
    agreed = decision.amount_agreed
    committed = (agreed or Decimal(0)) if decision.decision.commits_money else Decimal(0)
    shown = wording.format_money(agreed) if agreed is not None else ""
    return decision.decision.value, shown, wording.format_money(committed)


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
