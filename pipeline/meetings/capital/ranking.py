"""The capital round's bids ranked by the panel's scores, recommended within the fund and the
per-setting cap: the list the panel sends to the LA's Place, Planning and Sufficiency Board.

Highest total first (ties: the smaller request, then the earlier case). Going down the list,
a bid is recommended when it is ready for panel (no open error), its setting stays within the
cap with what it was given before, and the fund still holds it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pandas as pd

from pipeline.meetings.models import CaseFile, Finance
from pipeline.models import Severity
from pipeline.round_records import BidScore

RECOMMENDED = "Recommended"
NOT_SCORED = "Not yet scored"
COLUMNS = ["rank", "case_ref", "setting", "project", "total", "requested", "recommendation"]


def ranked_bids(
    bids: Sequence[CaseFile], scores: Mapping[str, BidScore], finance: Finance
) -> pd.DataFrame:
    """One row per bid in rank order: rank, case_ref, setting, project, total (None when
    unscored), requested, recommendation."""
    table = pd.DataFrame(
        [
            {
                "case_ref": bid.case_ref,
                "setting": bid.setting or "Setting not known",
                "project": bid.project_title or "",
                "total": scores[bid.case_ref].total if bid.case_ref in scores else None,
                "requested": bid.amount_requested or Decimal(0),
                "errors": ", ".join(
                    sorted({f.code for f in bid.findings if f.severity is Severity.error})
                ),
            }
            for bid in bids
        ],
        columns=["case_ref", "setting", "project", "total", "requested", "errors"],
    )
    if table.empty:
        return pd.DataFrame(columns=COLUMNS)
    table["scored"] = table["total"].notna()
    table = table.sort_values(
        ["scored", "total", "requested", "case_ref"], ascending=[False, False, True, True]
    ).reset_index(drop=True)
    table["rank"] = range(1, len(table) + 1)
    table["recommendation"] = _recommendations(table, finance)
    return table[COLUMNS]


def _recommendations(table: pd.DataFrame, finance: Finance) -> list[str]:
    given = {k: Decimal(v) for k, v in finance.capital_committed_by_setting.items()}
    left = finance.capital_fund - sum(given.values(), Decimal(0))
    cap = finance.capital_cap_per_setting
    said: list[str] = []
    for row in table.itertuples():
        amount = Decimal(str(row.requested))
        setting = str(row.setting)
        if not row.scored:
            said.append(NOT_SCORED)
        elif row.errors:
            said.append(f"Not recommended: open error(s) {row.errors!s}")
        elif given.get(setting, Decimal(0)) + amount > cap:
            said.append(f"Not recommended: the setting would pass the £{cap:,.0f} cap")
        elif amount > left:
            said.append("Not recommended: the fund has not enough left")
        else:
            said.append(RECOMMENDED)
            given[setting] = given.get(setting, Decimal(0)) + amount
            left -= amount
    return said


def recommended_total(table: pd.DataFrame) -> Decimal:
    chosen = table[table["recommendation"] == RECOMMENDED]["requested"]
    return sum((Decimal(str(v)) for v in chosen), Decimal(0))
