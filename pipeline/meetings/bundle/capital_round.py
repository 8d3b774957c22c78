"""The bundle's capital page: the round's bids ranked by the panel's scores, as the
recommendations the panel makes to the LA's Place, Planning and Sufficiency Board."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from pipeline.meetings.bundle.layout import Mark, RunningHeader
from pipeline.meetings.bundle.style import FRAME_WIDTH, header_row, para, styles, table
from pipeline.meetings.capital.ranking import RECOMMENDED, ranked_bids, recommended_total
from pipeline.meetings.capital.write_sheet import capital_bids
from pipeline.meetings.models import MeetingPack
from pipeline.reports.wording import format_money

BOARD = "the Local Authority's Place, Planning and Sufficiency Board"
HEADING = "Capital round: ranked recommendations"
AFTER = (
    "Recommended projects are to be completed by August 2026; funding is released after "
    "completion, a quality-assurance visit and the submission of paid invoices. The Cluster "
    "Panel evaluates the impact in September 2026."
)


def capital_page(pack: MeetingPack) -> list[Flowable]:
    """The ranked list, or nothing when the meeting hears no capital bids."""
    bids = capital_bids(pack)
    if not bids:
        return []
    s = styles()
    ranked = ranked_bids(bids, pack.capital_scores, pack.finance)
    rows: list[list[Flowable | str]] = [
        header_row(["Rank", "Case", "Setting and project", "Score", "Requested", "Recommendation"])
    ]
    for row in ranked.to_dict("records"):
        total = row["total"]
        score = "-" if total is None or total != total else f"{int(total)}/30"
        rows.append(
            [
                para(str(row["rank"]), s.cell),
                para(str(row["case_ref"]), s.cell),
                para(f"{row['setting']}: {row['project']}", s.cell),
                para(score, s.cell_right),
                para(format_money(Decimal(str(row["requested"]))), s.cell_right),
                para(
                    str(row["recommendation"]),
                    s.cell_bold if row["recommendation"] == RECOMMENDED else s.cell,
                ),
            ]
        )
    widths = (12 * mm, 28 * mm, FRAME_WIDTH - 150 * mm, 16 * mm, 26 * mm, 68 * mm)
    chosen = int((ranked["recommendation"] == RECOMMENDED).sum())
    return [
        RunningHeader(HEADING),
        PageBreak(),
        Mark("capital-round"),
        para(HEADING, s.h1),
        para(
            f"The panel recommends to {BOARD} the bids marked Recommended: {chosen} of "
            f"{len(ranked)}, {format_money(recommended_total(ranked))} in all, within the fund "
            f"of {format_money(pack.finance.capital_fund)} and the cap of "
            f"{format_money(pack.finance.capital_cap_per_setting)} per setting. Bids are ranked "
            "by the total of the six criteria (strategic fit, quality of design, deliverability, "
            "value for money, environmental impact, stakeholder engagement), each scored 0 to 5.",
            s.body,
        ),
        table(rows, widths),
        para(AFTER, s.small),
    ]
