"""The panel's decisions flow back: committed money on the next meeting, reviews scheduled."""

from __future__ import annotations

import email
import email.policy
import io
import random
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pypdfium2
import pytest

from pipeline.admin import make_bundle
from pipeline.config import Config
from pipeline.meetings.decision_log import DecisionLogError
from pipeline.meetings.pack import meeting_pack
from pipeline.meetings.record_decisions import import_decisions
from pipeline.runner import open_context, run_inbox
from testkit.samples import make_referral, render_email

LONDON = ZoneInfo("Europe/London")
FIRST, SECOND, LAST = date(2025, 10, 16), date(2025, 12, 11), date(2026, 7, 9)


def referrals_arriving(config: Config, day: date, count: int, seed: int) -> None:
    rng = random.Random(seed)
    for n in range(count):
        arrival = datetime(day.year, day.month, day.day, 9 + n, tzinfo=LONDON)
        email = render_email(make_referral(rng, config, received_at=arrival))
        (config.paths.inbox / f"{seed}-{n}.eml").write_bytes(email)


@pytest.fixture
def decided(config: Config) -> tuple[Config, Path]:
    """Three cases at the October meeting, two at December's; October's log filled in."""
    referrals_arriving(config, date(2025, 9, 15), 3, seed=31)
    referrals_arriving(config, date(2025, 11, 10), 2, seed=32)
    with open_context(config) as ctx:
        run_inbox(ctx)
        make_bundle(ctx, FIRST, by="Cluster admin")
    log = config.paths.outbox / "meetings" / FIRST.isoformat() / "decision-log.xlsx"
    fill(
        log,
        [
            ("Agreed with changes", 5000, None),
            ("Agreed with changes", 2500.5, None),
            ("Declined", None, None),
        ],
    )
    return config, log


def fill(log: Path, rows: list[tuple[str, float | None, date | None]]) -> None:
    book = openpyxl.load_workbook(log)
    sheet = book["Decisions"]
    header = [cell.value for cell in sheet[1]]
    for row, (decision, amount, review) in enumerate(rows, start=2):
        sheet.cell(row, header.index("Decision") + 1).value = decision
        sheet.cell(row, header.index("Amount agreed") + 1).value = amount
        sheet.cell(row, header.index("Review date") + 1).value = review
    book.save(log)


def import_log(config: Config, log: Path) -> int:
    with open_context(config) as ctx:
        return import_decisions(ctx, log, FIRST, by="Cluster admin").changed


def test_the_audit_log_records_the_bundle_made_and_the_decisions_imported(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    import_log(config, log)
    with open_context(config) as ctx:
        entries = ctx.register.audit_log()
    assert [(e.actor, e.action) for e in entries] == [
        ("Cluster admin", "make_bundle"),
        ("Cluster admin", "import_decisions"),
    ]
    assert entries[0].detail == "meeting 2025-10-16: 3 case(s)"


def test_importing_the_log_commits_agreed_money_on_the_next_meeting(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    import_log(config, log)
    with open_context(config) as ctx:
        finance = meeting_pack(ctx, SECOND).finance
    assert finance.revenue_committed == pytest.approx(7500.50)


def test_next_meetings_finance_page_shows_the_committed_money(decided: tuple[Config, Path]) -> None:
    config, log = decided
    import_log(config, log)
    with open_context(config) as ctx:
        make_bundle(ctx, SECOND, by="Cluster admin")
    text = pdf_text(config.paths.outbox / "meetings" / SECOND.isoformat() / "bundle-full.pdf")
    assert "£7,500.50" in text


def test_agreed_funding_is_reviewed_at_the_last_meeting_before_a_year_is_up(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    import_log(config, log)
    with open_context(config) as ctx:
        due = meeting_pack(ctx, LAST).reviews_due
        earlier = meeting_pack(ctx, SECOND).reviews_due
    assert len(due) == 2 and all(r.review_date == date(2026, 10, 16) for r in due)
    assert earlier == ()


def test_reimporting_the_same_log_changes_nothing(decided: tuple[Config, Path]) -> None:
    config, log = decided
    assert import_log(config, log) == 3
    assert import_log(config, log) == 0


def test_each_school_gets_an_outcome_draft_stating_what_was_agreed(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    with open_context(config) as ctx:
        imported = import_decisions(ctx, log, FIRST, by="Cluster admin")
    texts = [email_text(path) for path in imported.drafts]
    assert len(texts) == 3
    assert any("Decision: Agreed with changes." in t and "£5,000.00" in t for t in texts)
    assert any("Decision: Declined." in t for t in texts)


def test_a_bad_row_names_row_and_column_and_imports_nothing(decided: tuple[Config, Path]) -> None:
    config, log = decided
    fill(log, [("Declined", None, None), ("Agreed", None, None), ("Declined", None, None)])
    with pytest.raises(DecisionLogError, match="row 3, column 'Amount agreed'"):
        import_log(config, log)
    with open_context(config) as ctx:
        assert ctx.register.decisions() == []


def email_text(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return str(message.get_content())


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(path.read_bytes()))
    return "\n".join(page.get_textpage().get_text_range() for page in document)
