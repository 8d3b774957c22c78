"""The impact measures' inputs as pandas tables: a case's latest referral and latest review
(keyed by the case reference the review quotes), each counted once."""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pipeline.cases.impact_values import ImpactValues, Row

if TYPE_CHECKING:  # imported when the tables are made: a second of every start-up before
    import pandas as pd

REFERRAL_COLUMNS = ["case_ref", "received", "attendance", "suspensions", "at_risk", "ehcna"]
REVIEW_COLUMNS = [
    "case_ref",
    "received",
    "attendance_before",
    "attendance_after",
    "suspensions_before",
    "suspensions_after",
    "ehcna",
]


def impact_inputs(values: Iterable[ImpactValues]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(referrals, reviews) from every submission's impact values."""
    referrals: list[Row] = []
    reviews: list[Row] = []
    for referral_rows, review_rows in values:
        referrals += referral_rows
        reviews += review_rows
    return _latest(referrals, REFERRAL_COLUMNS), _latest(reviews, REVIEW_COLUMNS)


def import_pandas_in_background() -> None:
    """Import pandas on a thread of its own (the reports need it, and it takes a second), so
    that it is loaded while the first email is read rather than after."""
    if "pandas" not in sys.modules:
        threading.Thread(
            target=importlib.import_module, args=("pandas",), name="import-pandas"
        ).start()


def _latest(rows: list[Row], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    return table.sort_values("received").groupby("case_ref", as_index=False).last()
