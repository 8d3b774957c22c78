"""A whole school year of the cluster, run as the admin runs it (issue 13's "done when"):
six meetings, 150+ emails, the capital round, the impact figures. See year_world.py."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from year_capital import BIDS, CLOSES, SENT_FOR_THE_ROUND
from year_impact import (
    AT_RISK,
    ATTENDANCE,
    EHCNA,
    REFERRED,
    SUSPENSIONS,
    expected_changes,
    expected_figures,
)
from year_world import Year, simulate

from pipeline.config import Config
from pipeline.meetings.pack import case_file
from pipeline.models import RequestType, Status
from pipeline.rules.cutoff import meetings
from pipeline.runner import open_context

CAP = Decimal(15_000)


@pytest.fixture(scope="module")
def year(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Year:
    root = tmp_path_factory.mktemp("year")
    (root / "inbox").mkdir()
    return simulate(shipped_config.under(root), root)


def round_meeting(year: Year) -> date:
    """The first meeting after the round closes on 31 December, from the configured dates."""
    return min(day for day in year.config.meetings.dates if day > CLOSES)


def test_the_year_has_six_meetings_and_at_least_150_emails(year: Year) -> None:
    assert len(year.packs) == 6
    assert year.emails >= 150


def test_every_deferred_case_is_listed_at_the_next_meeting(year: Year) -> None:
    days = sorted(year.packs)
    for today, following in itertools.pairwise(days):
        listed = {c.case_ref for c in year.packs[following].cases}
        assert year.deferred[today] <= listed, today


def test_every_review_due_with_its_form_arrived_appears_with_that_form(year: Year) -> None:
    heard = {
        review.case_ref: day
        for day, pack in year.packs.items()
        for review in pack.reviews_due
        if review.papers is not None
    }
    schedule = meetings(year.config.meetings)
    for case_ref, sent in year.reviews_sent.items():
        expected = next((m.day for m in schedule if sent.date() < m.cutoff), None)
        if expected is not None and expected in year.packs:
            assert heard.get(case_ref) == expected, case_ref


def test_committed_revenue_is_the_sum_agreed_and_within_the_budget(year: Year) -> None:
    days = sorted(year.packs)
    for number, day in enumerate(days[1:], start=1):
        agreed = sum((year.agreed_revenue[d] for d in days[:number]), Decimal(0))
        assert year.packs[day].finance.revenue_committed == agreed
        assert agreed <= Decimal(210_000)


def test_every_bad_decision_log_is_refused_whole_with_all_its_problems(year: Year) -> None:
    for day, problems in year.refused.items():
        pack = year.packs[day]
        if not pack.cases:
            continue
        assert problems, day
        assert year.committed_after_refusal[day], day


def test_cover_agenda_and_finance_count_alike_at_every_meeting(year: Year) -> None:
    for day, pack in year.packs.items():
        text = year.front[day]
        ready = [c for c in pack.cases if c.status is not Status.incomplete]
        waiting = len(pack.cases) - len(ready)
        assert f"Cases for decision {len(ready)}" in text, day
        assert f"Not ready {waiting}" in text, day
        due, forms = len(pack.reviews_due), sum(1 for r in pack.reviews_due if r.papers)
        reviews = f"{due} review{'s' if due != 1 else ''} due, {forms} with the review form"
        assert text.count(reviews) == 3, day
        asked = sum(
            (
                c.amount_requested or Decimal(0)
                for c in ready
                if c.request_type is not RequestType.capital
            ),
            Decimal(0),
        )
        assert pack.finance.revenue_requested == asked, day


def test_capital_bids_are_listed_only_at_the_first_meeting_after_the_round_closes(
    year: Year,
) -> None:
    refs = year.bids
    heard_at = round_meeting(year)
    cutoff = next(m.cutoff for m in meetings(year.config.meetings) if m.day == heard_at)
    for day, pack in year.packs.items():
        capital = {c.case_ref for c in pack.cases if c.request_type is RequestType.capital}
        expected = {refs[b.name] for b in BIDS if b.day < cutoff} if day == heard_at else set()
        assert capital == expected, day
        assert ("Capital round: ranked recommendations" in year.front[day]) == (day == heard_at)
    sheets = sorted(year.config.paths.outbox.glob("meetings/*/scoring-sheet.xlsx"))
    assert [p.parent.name for p in sheets] == [heard_at.isoformat()]


def test_bids_after_the_round_are_never_ready_for_decision_and_later_ones_wait_unlisted(
    year: Year,
) -> None:
    refs = year.bids
    pack = year.packs[round_meeting(year)]
    with open_context(year.config) as ctx:
        for bid in BIDS:
            case = case_file(ctx, refs[bid.name])
            late = bid.day > CLOSES
            assert ("after_round_deadline" in {f.code for f in case.findings}) == late, bid.name
            if late and case.meeting is not None:
                listed = next(c for c in pack.cases if c.case_ref == case.case_ref)
                assert listed.status is Status.incomplete, bid.name
            elif late:
                assert all(
                    case.case_ref not in ctx.register.cases_for_meeting(d) for d in year.packs
                )


def test_the_bad_scoring_sheet_is_refused_whole_and_every_bid_is_then_scored(year: Year) -> None:
    heard = {c.case_ref for c in year.packs[round_meeting(year)].cases}
    bids = {ref for ref in heard if ref in set(year.bids.values())}
    assert "row 2, column 'Strategic fit': 7 is not a whole number from 0 to 5" in (
        year.sheet_refused
    )
    for row in range(3, len(bids) + 2):  # the rows left blank: every one reported
        assert f"row {row}, column 'Reviewers': is empty: say who scored the bid" in (
            year.sheet_refused
        )
    assert year.scores_after_refusal == 0
    assert set(year.packs[round_meeting(year)].capital_scores) == bids


def test_no_setting_is_given_more_than_15000_of_capital(year: Year) -> None:
    refs = year.bids
    with open_context(year.config) as ctx:
        setting = {name: str(case_file(ctx, ref).setting) for name, ref in refs.items()}
        given: dict[str, Decimal] = {}
        for decision in ctx.register.decisions():
            case = case_file(ctx, decision.case_ref)
            if case.request_type is RequestType.capital and decision.decision.commits_money:
                where = str(case.setting)
                given[where] = given.get(where, Decimal(0)) + (decision.amount_agreed or 0)
    assert all(amount <= CAP for amount in given.values()), given
    # The round's ready bids as they asked; not the setting's second bid, over the cap.
    assert given == {
        setting[b.name]: Decimal(b.amount)
        for b in SENT_FOR_THE_ROUND
        if b.name != "its setting's second, over the cap"
    }
    for day in sorted(year.packs)[3:]:
        assert year.packs[day].finance.capital_committed_by_setting == given, day


def test_a_log_giving_a_setting_more_than_the_cap_or_agreeing_a_late_bid_is_refused(
    year: Year,
) -> None:
    refs = year.bids
    problems = year.refused[round_meeting(year)]
    over = {ref for ref, column, message in problems if "over the cap of £15,000.00" in message}
    assert {refs["near the cap"], refs["its setting's second, over the cap"]} <= over
    late = refs["late, before the round meeting's cut-off"]
    assert any(
        ref == late and "after the round closed on 31 December 2025" in message
        for ref, _, message in problems
    )


def test_each_bundles_impact_page_shows_the_figures_the_year_fed_in(year: Year) -> None:
    days = sorted(year.packs)
    for previous, day in zip([None, *days], days, strict=False):
        listed = [c.case_ref for c in year.packs[day].cases]
        before = day - timedelta(days=1)  # the bundle was made before the day's mail came in
        want = expected_figures(
            day, previous, listed, year.baselines, year.outcomes, through=before
        )
        text = year.front[day]
        for label in (REFERRED, SUSPENSIONS, AT_RISK, EHCNA):
            here, ytd = want[label]
            assert f"{label} {here:g} {ytd:g}" in text, (day, label)
        shown = re.search(re.escape(ATTENDANCE) + r" ([\d.]+)% ([\d.]+)%", text)
        assert shown is not None, day
        assert close(tuple(float(v) for v in shown.groups()), want[ATTENDANCE]), day


def test_the_trackers_impact_sheet_matches_the_inputs_at_every_meeting(year: Year) -> None:
    sheet = impact_sheet(year.config.paths.outbox / "tracker.xlsx")
    days = sorted(year.packs)
    for previous, day in zip([None, *days], days, strict=False):
        listed = [c.case_ref for c in year.packs[day].cases]
        want = expected_figures(day, previous, listed, year.baselines, year.outcomes)
        rows = sheet[day]
        for label, (here, ytd) in want.items():
            assert close(rows[label], (here, ytd)), (day, label, rows[label])
        for ref, (attendance, suspensions) in expected_changes(
            day, year.baselines, year.outcomes
        ).items():
            points = rows[f"{ref}: attendance change since referral (points)"][1]
            assert close((points,), (attendance,)), (day, ref)
            assert rows[f"{ref}: suspensions change since referral"][1] == suspensions


def impact_sheet(tracker: Path) -> dict[date, dict[str, tuple[object, object]]]:
    rows: dict[date, dict[str, tuple[object, object]]] = {}
    impact = openpyxl.load_workbook(tracker)["Impact"]
    for day, label, here, ytd in impact.iter_rows(min_row=2, values_only=True):
        rows.setdefault(day.date(), {})[str(label)] = (here, ytd)
    return rows


def close(got: tuple[object, ...], wanted: tuple[float | None, ...]) -> bool:
    """Each figure as wanted, a mean to within its rounding to one decimal place."""
    return all(
        (g is None) == (w is None) and (w is None or abs(float(str(g)) - w) <= 0.0501)
        for g, w in zip(got, wanted, strict=True)
    )
