"""Capital bid rules (SPEC 4.5): the round's dates, the per-setting cap, what is eligible.

A setting may ask for at most ``capital.per_setting_cap`` in a round, all its bids together:
the bids of this email plus the round's earlier bids (``RuleContext.capital_bids_before``,
which the flow fills from the register with :func:`earlier_bids`). A bid sent again with the
same project title replaces the earlier one rather than adding to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import timedelta
from decimal import Decimal

from pipeline.config import CapitalRound, Config
from pipeline.models import ExtractedDocument, Finding, Status, Submission
from pipeline.rules.base import EarlierBid, RuleContext, finding, uk
from pipeline.rules.dates import check_dates
from schemas import CapitalBid
from schemas.about import amount_requested_of, project_title_of, setting_of
from schemas.codes import RuleCode
from schemas.fieldref import field_ref
from schemas.money import MONEY_TOLERANCE, pennies, pounds
from schemas.types import clean_text

FUND = "the Inclusive Environments Capital Fund"
# Each declaration a bid must answer Yes, and what answering No says the fund does not pay for.
NOT_FUNDED = {
    field_ref(CapitalBid, lambda f: f.decl_not_revenue): "revenue costs such as staffing, "
    "training or vehicles",
    field_ref(CapitalBid, lambda f: f.decl_not_maintenance): "maintenance work, which is "
    "covered by DFC, CIF or SCA",
    field_ref(CapitalBid, lambda f: f.decl_not_mobility): "individual mobility equipment such "
    "as wheelchairs (installations such as ceiling hoists are allowed)",
    field_ref(CapitalBid, lambda f: f.decl_no_prior_grant): "settings that have already "
    "received High Needs Capital Grant funding, including Enhanced Resource Provision projects",
}
TOTAL_PROJECT_COST = field_ref(CapitalBid, lambda f: f.total_project_cost)
EXPECTED_COMPLETION = field_ref(CapitalBid, lambda f: f.expected_completion)
SETTING = field_ref(CapitalBid, lambda f: f.setting_name)
AMOUNT_REQUESTED = field_ref(CapitalBid, lambda f: f.amount_requested)


def check_capital(bids: Sequence[ExtractedDocument], ctx: RuleContext) -> list[Finding]:
    """Every capital bid of one email; the first one's dates are checked by the caller."""
    if not bids:
        return []
    findings = [*_round_dates(bids[0], ctx), *_setting_cap(bids, ctx)]
    for bid in bids:
        findings += [*_bid(bid, ctx.config), *_eligibility(bid), *_mainstream(bid, ctx.config)]
    for bid in bids[1:]:
        findings += check_dates(bid, ctx)
    return findings


def _round_dates(bid: ExtractedDocument, ctx: RuleContext) -> Iterator[Finding]:
    round_ = ctx.config.capital
    if ctx.received > round_.closes:
        yield finding(
            RuleCode.after_round_deadline,
            arrived=uk(ctx.received),
            closed=uk(round_.closes),
            document=bid.filename,
        )
    elif ctx.received < round_.opens:
        yield finding(
            RuleCode.before_round_opens,
            arrived=uk(ctx.received),
            opens=uk(round_.opens),
            document=bid.filename,
        )


def _bid(bid: ExtractedDocument, config: Config) -> Iterator[Finding]:
    values = bid.form_as(CapitalBid)
    if values is None:
        return
    requested, total = values.amount_requested, values.total_project_cost
    if requested is not None and total is not None and total + MONEY_TOLERANCE < requested:
        yield finding(
            RuleCode.cost_below_request,
            total=pounds(total),
            requested=pounds(requested),
            field=TOTAL_PROJECT_COST.id,
            document=bid.filename,
        )
    completion, deadline = values.expected_completion, config.capital.complete_by
    if completion is not None and completion > deadline:
        yield finding(
            RuleCode.completion_after_deadline,
            completion=uk(completion),
            deadline=uk(deadline),
            field=EXPECTED_COMPLETION.id,
            document=bid.filename,
        )


def _eligibility(bid: ExtractedDocument) -> Iterator[Finding]:
    for declaration, not_funded in NOT_FUNDED.items():
        if declaration.of(bid.form) is False:
            yield finding(
                RuleCode.ineligible_capital,
                label=declaration.label,
                not_funded=not_funded,
                field=declaration.id,
                document=bid.filename,
            )


def _mainstream(bid: ExtractedDocument, config: Config) -> Iterator[Finding]:
    setting = config.setting(str(setting_of(bid.form)))
    if setting is not None and not setting.phase.mainstream:
        phase = setting.phase.value.replace("_", " ")
        yield finding(
            RuleCode.not_mainstream,
            setting=setting.name,
            phase=phase,
            fund=FUND,
            field=SETTING.id,
            document=bid.filename,
        )


def _setting_cap(bids: Sequence[ExtractedDocument], ctx: RuleContext) -> Iterator[Finding]:
    cap = pennies(ctx.config.capital.per_setting_cap)
    for setting in dict.fromkeys(str(setting_of(b.form)) for b in bids):
        own = [b for b in bids if str(setting_of(b.form)) == setting]
        now = sum((amount_requested_of(b.form) or Decimal(0) for b in own), Decimal(0))
        titles_now = {title_key(project_title_of(b.form)) for b in own}
        files_now = {b.sha256 for b in bids}
        earlier = {
            title_key(b.project_title): b.amount
            for b in ctx.capital_bids_before
            if b.setting == setting
            and title_key(b.project_title) not in titles_now
            and b.sha256 not in files_now
        }
        before = sum(earlier.values(), Decimal(0))
        if setting_of(own[0].form) is None or now + before <= cap:
            continue
        yield _over_cap(setting, now, before, len(own) + len(earlier), cap, own[-1].filename)


def _over_cap(
    setting: str, now: Decimal, before: Decimal, bids: int, cap: Decimal, document: str
) -> Finding:
    where = dict(field=AMOUNT_REQUESTED.id, document=document, cap=pounds(cap), fund=FUND)
    if bids == 1:
        return finding(RuleCode.over_setting_cap, "one_bid", asked=pounds(now), **where)
    room = cap - before
    return finding(
        RuleCode.over_setting_cap,
        "several_bids" if room > 0 else "several_bids_no_room",
        setting=setting,
        total=pounds(now + before),
        bids=bids,
        now=pounds(now),
        before=pounds(before),
        room=pounds(room),
        **where,
    )


def title_key(title: str | None) -> str:
    return clean_text(title or "").lower()


def earlier_bids(submissions: Iterable[Submission], round_: CapitalRound) -> tuple[EarlierBid, ...]:
    """The capital bids of the round already in the register, oldest first, each file once.

    A bid counts towards the round when it arrived within the year before the round opens
    or up to the round's completion date (a late bid still counts: it was asked for).
    """
    seen: set[str] = set()
    bids: list[EarlierBid] = []
    window = (round_.opens - timedelta(days=365), round_.complete_by)
    for submission in submissions:
        day = submission.received_at.date()
        if submission.status is Status.quarantined or not window[0] < day <= window[1]:
            continue
        for document in submission.documents:
            bid = document.form_as(CapitalBid)
            if bid is None or document.sha256 in seen or bid.amount_requested is None:
                continue
            seen.add(document.sha256)
            if bid.setting_name:
                title = bid.project_title or document.filename
                bids.append(
                    EarlierBid(
                        setting=bid.setting_name,
                        project_title=title,
                        amount=bid.amount_requested,
                        sha256=document.sha256,
                    )
                )
    return tuple(bids)
