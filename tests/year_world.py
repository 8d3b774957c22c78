"""A whole school year of the cluster, run as the admin runs it: what
tests/test_year_simulation.py asserts on.

Six meetings; between them the testkit's schools send referrals (some missing their provision
map, which a follow-up sends days later; some with an error), capital bids before, during and
after the round, and funding reviews on time and late. Email by email in date order through
intake; the admin enters the counts no form carries with `pipeline impact count`. At each
meeting the bundle is made (at the round's meeting the scoring sheet too: first refused with
its mistakes, then imported, and the bundle made again with the ranking); a decision log with
mistakes is refused with every problem at once, and the corrected log is imported: some cases
agreed (within the budget), some declined, some deferred, every case not ready deferred, and
the capital bids recommended or declined.
"""

from __future__ import annotations

import hashlib
import io
import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pypdfium2
from year_capital import (
    BIDS,
    LONDON,
    OVER_THE_CAP,
    bid_email,
    capital_decision,
    fill_scores,
    is_capital,
)
from year_impact import COUNTS, Baseline, Outcome, baseline_of, outcome_of

from pipeline.admin import make_bundle
from pipeline.config import Config, Setting
from pipeline.meetings.capital.scores import import_scores
from pipeline.meetings.capital.sheet import ScoringSheetError
from pipeline.meetings.decision_log import DecisionLogError
from pipeline.meetings.models import MeetingPack
from pipeline.meetings.pack import meeting_pack
from pipeline.meetings.record_decisions import import_decisions
from pipeline.models import Status
from pipeline.rules.cutoff import meetings
from pipeline.runner import open_context, run_inbox, write_reports
from testkit.reliability.config_file import write_config
from testkit.samples import apply_defect, make_referral, render_email
from testkit.samples.follow_up import follow_up
from testkit.samples.kinds import KINDS

REFERRALS_PER_MEETING = 20
ADMIN = "Cluster admin"
Mail = tuple[datetime, bytes]
Plan = dict[str, tuple[str, Decimal | None, date | None]]
Refused = list[tuple[str, str, str]]  # (case ref, column, message) of each problem


@dataclass
class Year:
    """What the year produced, meeting by meeting, for the tests to read."""

    config: Config
    config_file: Path
    emails: int = 0
    packs: dict[date, MeetingPack] = field(default_factory=dict)
    front: dict[date, str] = field(default_factory=dict)  # cover to index, as text
    deferred: dict[date, set[str]] = field(default_factory=dict)
    refused: dict[date, Refused] = field(default_factory=dict)  # the bad log's problems
    committed_after_refusal: dict[date, bool] = field(default_factory=dict)
    agreed_revenue: dict[date, Decimal] = field(default_factory=dict)
    reviews_sent: dict[str, datetime] = field(default_factory=dict)  # case -> form arrival
    bids: dict[str, str] = field(default_factory=dict)  # bid name -> case reference
    sheet_refused: list[str] = field(default_factory=list)  # the bad scoring sheet's problems
    scores_after_refusal: int = -1
    baselines: dict[str, Baseline] = field(default_factory=dict)  # submission id, then case
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # case -> its review
    counted: set[int] = field(default_factory=set)  # COUNTS entered so far


def simulate(config: Config, root: Path) -> Year:
    run = Year(config, write_config(config, root / "config.toml"))
    schedule = meetings(config.meetings)
    rng = random.Random(2613)
    pending: list[Mail] = [bid_email(config, bid) for bid in BIDS]
    bid_ids = {bid.name: submission_id(mail[1]) for bid, mail in zip(BIDS, pending, strict=True)}
    cutoffs = [m.cutoff for m in schedule]
    for start, cutoff in zip([date(2025, 9, 1), *cutoffs], cutoffs, strict=False):
        pending += referrals(run, rng, start, cutoff)
    for meeting in schedule:  # all that arrived before the meeting day is in before it sits
        pending = deliver(run, pending, before=meeting.day)
        count_impact(run, before=meeting.day)
        hold_meeting(run, meeting.day)
        pending += reviews_of(run, rng, meeting.day)
    with open_context(config) as ctx:
        by_id = {s.submission_id: s.case_ref for s in ctx.register.submissions()}
        write_reports(ctx)  # as `pipeline report` does
    run.baselines = {str(by_id[sid]): base for sid, base in run.baselines.items()}
    run.bids = {name: str(by_id[sid]) for name, sid in bid_ids.items()}
    return run


def submission_id(data: bytes) -> str:
    return "S-" + hashlib.sha256(data).hexdigest()[:16]


def arrival(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def weekdays(start: date, stop: date) -> list[date]:
    days = [start + timedelta(days=n) for n in range((stop - start).days)]
    return [d for d in days if d.weekday() < 5]


def referrals(run: Year, rng: random.Random, start: date, cutoff: date) -> Iterator[Mail]:
    """A window's referrals: most clean, three sent without their provision map and followed
    up four days later, two with an error the school must fix. Each baseline is kept."""
    days = weekdays(start + timedelta(days=1), cutoff - timedelta(days=5))
    for n in range(REFERRALS_PER_MEETING):
        when = arrival(days[n * len(days) // REFERRALS_PER_MEETING], 9 + n % 8)
        referral = make_referral(rng, run.config, received_at=when)
        if n % 7 == 3:
            referral = referral.model_copy(update={"include_map": False})
            yield when + timedelta(days=4), follow_up(referral, case_ref=None, days_later=4)
        elif n % 9 == 5:
            referral = apply_defect(referral, "invalid_upn", rng, run.config)
        data = render_email(referral)
        run.baselines[submission_id(data)] = baseline_of(referral, when.date())
        yield when, data


def deliver(run: Year, pending: list[Mail], before: date) -> list[Mail]:
    """Every email that has arrived by the meeting day, in date order, through intake."""
    due = sorted((p for p in pending if p[0].date() < before), key=lambda p: p[0])
    for number, (when, data) in enumerate(due):
        (run.config.paths.inbox / f"{when:%Y%m%d%H%M}-{run.emails + number}.eml").write_bytes(data)
    run.emails += len(due)
    with open_context(run.config) as ctx:
        run_inbox(ctx)
    return [p for p in pending if p[0].date() >= before]


def count_impact(run: Year, before: date) -> None:
    """The admin's counts dated before the meeting, entered as the admin types them."""
    for number, (measure, count, on) in enumerate(COUNTS):
        if on < before and number not in run.counted:
            command = ["impact", "count", measure, str(count), "--on", on.isoformat()]
            done = subprocess.run(
                [sys.executable, "-m", "pipeline", *command, "--config", str(run.config_file)],
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
            assert done.returncode == 0, done.stderr
            run.counted.add(number)


def hold_meeting(run: Year, day: date) -> None:
    folder = run.config.paths.outbox / "meetings" / day.isoformat()
    with open_context(run.config) as ctx:
        make_bundle(ctx, day, by=ADMIN)
    if (folder / "scoring-sheet.xlsx").exists():
        score_the_round(run, day, folder / "scoring-sheet.xlsx")
    with open_context(run.config) as ctx:
        pack = meeting_pack(ctx, day)
    run.packs[day] = pack
    run.front[day] = front_text(folder / "bundle-full.pdf")
    log = folder / "decision-log.xlsx"
    rows = plan(pack, [m.day for m in meetings(run.config.meetings) if m.day > day])
    fill(log, with_mistakes(rows, pack))
    run.refused[day] = refused(run.config, log, day)
    with open_context(run.config) as ctx:
        run.committed_after_refusal[day] = not [
            d for d in ctx.register.decisions() if d.meeting == day
        ]
    fill(log, rows)
    with open_context(run.config) as ctx:
        import_decisions(ctx, log, day, by=ADMIN)
    run.deferred[day] = {ref for ref, (kind, _, _) in rows.items() if kind == "Deferred"}
    run.agreed_revenue[day] = sum(
        (amount for ref, (_, amount, _) in rows.items() if amount and not is_capital(pack, ref)),
        Decimal(0),
    )


def score_the_round(run: Year, day: date, sheet: Path) -> None:
    """The panel's scoring sheet: refused with its mistakes, then imported, and the bundle
    made again with the ranked recommendations."""
    fill_scores(sheet, mistakes=True)
    with open_context(run.config) as ctx:
        try:
            import_scores(ctx, sheet, day, by=ADMIN)
        except ScoringSheetError as error:
            run.sheet_refused = [str(p) for p in error.problems]
        run.scores_after_refusal = len(ctx.register.bid_scores())
    fill_scores(sheet, mistakes=False)
    with open_context(run.config) as ctx:
        import_scores(ctx, sheet, day, by=ADMIN)
        make_bundle(ctx, day, by=ADMIN)


def plan(pack: MeetingPack, later: list[date]) -> Plan:
    """Capital: recommended when ready and scored, else declined. Not ready: deferred.
    Otherwise agreed in turn while the budget lasts, with every fifth declined and every
    fifth deferred; agreed funding reviewed two meetings on."""
    left = pack.finance.revenue_budget - pack.finance.revenue_committed
    review_by = later[2] + timedelta(days=1) if len(later) > 2 else None
    rows: Plan = {}
    for n, case in enumerate(pack.cases):
        asked = case.amount_requested
        if is_capital(pack, case.case_ref):
            rows[case.case_ref] = (*capital_decision(pack, case.case_ref), None)
        elif case.status is Status.incomplete:
            rows[case.case_ref] = ("Deferred", None, None)
        elif n % 5 == 0 or asked is None:
            rows[case.case_ref] = ("Declined", None, None)
        elif n % 5 == 1:
            rows[case.case_ref] = ("Deferred", None, None)
        elif asked <= left:
            left -= asked
            rows[case.case_ref] = ("Agreed", asked, review_by)
        else:
            rows[case.case_ref] = ("Declined", None, None)
    return rows


def with_mistakes(rows: Plan, pack: MeetingPack) -> Plan:
    """The admin's first log: each agreed amount over the request, a review date on each
    declined case, and every capital bid agreed with changes at £2,000 more than it asked."""
    bad: Plan = {}
    for case in pack.cases:
        kind, amount, review = rows[case.case_ref]
        if is_capital(pack, case.case_ref):
            asked = case.amount_requested or Decimal(0)
            bad[case.case_ref] = ("Agreed with changes", asked + OVER_THE_CAP, None)
        elif kind == "Agreed" and amount is not None:
            bad[case.case_ref] = (kind, amount + 5000, review)
        elif kind == "Declined":
            bad[case.case_ref] = (kind, None, date(2026, 8, 1))
        else:
            bad[case.case_ref] = (kind, amount, review)
    return bad


def fill(log: Path, rows: Plan) -> None:
    book = openpyxl.load_workbook(log)
    sheet = book["Decisions"]
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header if name}
    for row in range(2, sheet.max_row + 1):
        ref = sheet.cell(row, column["Case ref"]).value
        if ref not in rows:
            continue
        kind, amount, review = rows[str(ref)]
        sheet.cell(row, column["Decision"]).value = kind
        sheet.cell(row, column["Amount agreed"]).value = float(amount) if amount else None
        sheet.cell(row, column["Review date"]).value = review
        sheet.cell(row, column["Actions"]).value = (
            "Relist with evidence" if kind == "Deferred" else None
        )
    book.save(log)


def refused(config: Config, log: Path, day: date) -> Refused:
    refs = [
        str(row[0].value) for row in openpyxl.load_workbook(log)["Decisions"].iter_rows(min_row=1)
    ]
    with open_context(config) as ctx:
        try:
            import_decisions(ctx, log, day, by=ADMIN)
        except DecisionLogError as error:
            return [(refs[p.row - 1], p.column, p.message) for p in error.problems]
    return []


def reviews_of(run: Year, rng: random.Random, day: date) -> list[Mail]:
    """A review form for each case agreed today: on time for the meeting it is due at, or
    (every third) after that meeting's cut-off."""
    with open_context(run.config) as ctx:
        agreed = [d for d in ctx.register.decisions() if d.meeting == day and d.review_date]
    schedule = meetings(run.config.meetings)
    sent = []
    for n, decision in enumerate(agreed):
        assert decision.review_date is not None
        due_at = [m for m in schedule if day < m.day < decision.review_date]
        if not due_at:
            continue  # reviewed next year
        due = due_at[-1]
        when = (
            arrival(due.cutoff - timedelta(days=6))
            if n % 3
            else arrival(due.cutoff + timedelta(days=1))
        )
        form = KINDS["funding_review"].make(rng, run.config, n)
        school = own_school(run.config, decision.case_ref)  # it answers its outcome email
        values = {
            **form.values,
            "case_ref": decision.case_ref,
            "review_date": when.date(),
            "setting_name": school.name,
        }
        sender = f"senco@{school.domains[0]}"
        form = form.model_copy(
            update={"values": values, "received_at": when, "setting": school.name, "sender": sender}
        )
        run.reviews_sent[decision.case_ref] = when
        run.outcomes[decision.case_ref] = outcome_of(values, when.date())
        sent.append((when, render_email(form)))
    return sent


def own_school(config: Config, case_ref: str) -> Setting:
    with open_context(config) as ctx:
        name = ctx.register.case_setting(case_ref)
    return next(s for s in config.settings if s.name == name and s.domains)


def front_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(path.read_bytes()))
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    text = " ".join(text.split())
    return text[: text.index("Index of cases")]
