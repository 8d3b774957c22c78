"""The agenda the panel needs: last meeting's actions, declarations of interest, earlier
funding on each summary, and cases not ready listed apart and not counted in Requested."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
from test_decisions_roundtrip import (
    FIRST,
    LONDON,
    SECOND,
    decided,
    fill,
    import_log,
    pdf_text,
    referrals_arriving,
)

from pipeline.admin import make_bundle
from pipeline.config import Config, PanelMember
from pipeline.meetings.pack import meeting_pack
from pipeline.models import Status
from pipeline.runner import open_context, run_inbox, write_reports
from testkit.samples import render_email, sample

__all__ = ["decided"]  # the fixture, used here by name

ACTION = "Ask the setting for the speech and language therapy report"


def bundle_text(config: Config, day: date, edition: str = "full") -> str:
    with open_context(config) as ctx:
        make_bundle(ctx, day, by="Cluster admin")
    path = config.paths.outbox / "meetings" / day.isoformat() / f"bundle-{edition}.pdf"
    return " ".join(pdf_text(path).split())


def with_action(log: Path, row: int, action: str) -> None:
    book = openpyxl.load_workbook(log)
    sheet = book["Decisions"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row, header.index("Actions") + 1).value = action
    book.save(log)


def test_the_agenda_lists_the_previous_meetings_actions_with_their_status(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    fill(log, [("Deferred", None, None), ("Agreed with changes", 2500, None)])
    with_action(log, 2, ACTION)
    import_log(config, log)
    text = bundle_text(config, SECOND)
    agenda = text[: text.index("Index of cases")]
    assert "Actions from the previous meeting (16 October 2025)" in agenda
    assert ACTION in agenda
    assert "Listed (11 December 2025)" in agenda


def test_a_panel_members_own_setting_is_marked_as_a_declared_interest(
    decided: tuple[Config, Path],
) -> None:
    config, _ = decided
    with open_context(config) as ctx:
        setting = meeting_pack(ctx, SECOND).cases[0].setting
    assert setting is not None
    member = PanelMember(name="Jo Fictional", role="SENCo", setting=setting)
    panelled = config.model_copy(update={"panel": (member,)})
    text = bundle_text(panelled, SECOND)
    assert "Declarations of interest" in text
    assert "Jo Fictional (SENCo) does not take part in deciding this case." in text


def test_no_declarations_are_listed_when_no_member_comes_from_a_setting_on_the_agenda(
    decided: tuple[Config, Path],
) -> None:
    config, _ = decided
    text = bundle_text(config, SECOND)
    assert "No panel member has declared an interest in a case." in text


def test_each_summary_shows_earlier_funding_to_the_setting(decided: tuple[Config, Path]) -> None:
    config, log = decided
    fill(log, [("Agreed with changes", 5000, None), ("Agreed with changes", 2500, None)])
    import_log(config, log)
    with open_context(config) as ctx:
        october = meeting_pack(ctx, FIRST).cases[1]
    referrals_arriving(config, date(2025, 11, 12), 1, seed=63)  # from October's second setting
    with open_context(config) as ctx:
        run_inbox(ctx)
        december = meeting_pack(ctx, SECOND).cases
    same = [c for c in december if c.setting == october.setting]
    assert len(same) == 1
    text = bundle_text(config, SECOND)
    summary = text[text.index(f"{same[0].case_ref}: case summary") :]
    assert "Earlier funding to this pupil None recorded" in summary
    assert (
        "Earlier funding to this setting £2,500.00 in all. "
        f"{october.case_ref}: £2,500.00 (agreed with changes, 16 October 2025)"
    ) in summary


def test_a_case_not_ready_is_listed_apart_and_not_counted_in_requested(
    decided: tuple[Config, Path],
) -> None:
    config, _ = decided
    broken = sample(3, "missing_document", config, seed=43)
    arrival = datetime(2025, 11, 11, 10, tzinfo=LONDON)
    (config.paths.inbox / "broken.eml").write_bytes(
        render_email(broken.model_copy(update={"received_at": arrival}))
    )
    with open_context(config) as ctx:
        run_inbox(ctx)
        pack = meeting_pack(ctx, SECOND)
    ready = [c for c in pack.cases if c.status is Status.complete]
    not_ready = [c for c in pack.cases if c.status is Status.incomplete]
    assert len(not_ready) == 1 and len(ready) == 2
    assert pack.finance.revenue_requested == sum(
        (c.amount_requested for c in ready if c.amount_requested is not None), Decimal(0)
    )
    text = bundle_text(config, SECOND)
    agenda = text[: text.index("Index of cases")]
    assert "Cases for decision 2" in agenda and "Not ready 1" in agenda
    assert "6 Not ready" in agenda
    assert f"{not_ready[0].case_ref}: case summary Agenda item 6. Not ready" in text


def test_the_report_shows_each_cases_decision_amount_agreed_and_committed(
    decided: tuple[Config, Path],
) -> None:
    config, log = decided
    fill(log, [("Agreed with changes", 5000, None), ("Declined", None, None)])
    import_log(config, log)
    with open_context(config) as ctx:
        agreed, declined = (d.case_ref for d in ctx.register.decisions()[:2])
        write_reports(ctx)
    html = (config.paths.outbox / "report.html").read_text()
    assert _summary_row(html, agreed)[-3:] == ["Agreed with changes", "£5,000.00", "£5,000.00"]
    assert _summary_row(html, declined)[-3:] == ["Declined", "", "£0.00"]


def _summary_row(html: str, case_ref: str) -> list[str]:
    summary = html[html.index('<table class="summary">') :]
    row = next(r for r in summary.split("<tr>") if f">{case_ref}</a>" in r)
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.split("</tr>")[0], re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
