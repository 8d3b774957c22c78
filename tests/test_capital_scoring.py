"""The round meeting's scoring sheet, imported with checks, and the bundle's ranked list of
recommendations to the Place, Planning and Sufficiency Board within the fund and the caps."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from capital_world import (
    ROUND_MEETING,
    bundle_text,
    fill_scores,
    make_round_bundle,
    round_with_bids,
)
from test_decisions_roundtrip import fill

from pipeline.config import Config
from pipeline.meetings.capital.scores import import_scores
from pipeline.meetings.capital.sheet import ScoringSheetError
from pipeline.meetings.decision_log import DecisionLogError
from pipeline.meetings.record_decisions import import_decisions
from pipeline.runner import open_context

CRITERIA = (
    "Strategic fit",
    "Quality of design",
    "Deliverability",
    "Value for money",
    "Environmental impact",
    "Stakeholder engagement",
)


def scores_import(config: Config, sheet: Path) -> int:
    with open_context(config) as ctx:
        return import_scores(ctx, sheet, ROUND_MEETING, by="Cluster admin")[1]


def small_fund(config: Config, total: float) -> Config:
    capital = config.capital.model_copy(update={"fund_total": total})
    return config.model_copy(update={"capital": capital})


def test_the_round_meetings_bundle_comes_with_a_scoring_sheet_of_one_row_per_bid(
    config: Config,
) -> None:
    refs = round_with_bids(config, [8_000, 7_000, 6_000])
    folder = make_round_bundle(config)
    sheet = openpyxl.load_workbook(folder / "scoring-sheet.xlsx")["Scores"]
    header = [cell.value for cell in sheet[1]]
    assert [h for h in header if h in CRITERIA] == list(CRITERIA)
    assert "Reviewers" in header and header[-1] == "Total"
    assert [sheet.cell(row, 1).value for row in range(2, sheet.max_row + 1)] == sorted(refs)
    assert str(sheet.cell(2, len(header)).value).startswith("=SUM(")


def test_a_scoring_sheet_with_bad_rows_reports_every_problem_and_imports_nothing(
    config: Config,
) -> None:
    refs = round_with_bids(config, [8_000, 7_000, 6_000, 5_000])
    sheet = make_round_bundle(config) / "scoring-sheet.xlsx"
    first, second, third, _fourth = sorted(refs)
    fill_scores(sheet, {first: (5, 7, 3, 3, 3, 3), second: (4, 4, "good", 4, 4, None)})
    fill_scores(sheet, {third: (3, 3, 3, 3, 3, -1)}, reviewers="")
    with pytest.raises(ScoringSheetError) as raised:
        scores_import(config, sheet)
    lines = str(raised.value).splitlines()[1:]
    assert [line.strip() for line in lines] == [
        "row 2, column 'Quality of design': 7 is not a whole number from 0 to 5",
        "row 3, column 'Deliverability': 'good' is not a whole number from 0 to 5",
        "row 3, column 'Stakeholder engagement': is empty: score it as a whole number from 0 to 5",
        "row 4, column 'Reviewers': is empty: say who scored the bid",
        "row 4, column 'Stakeholder engagement': -1 is not a whole number from 0 to 5",
        "row 5, column 'Reviewers': is empty: say who scored the bid",
        *(
            f"row 5, column '{criterion}': is empty: score it as a whole number from 0 to 5"
            for criterion in CRITERIA
        ),
    ]
    with open_context(config) as ctx:
        assert ctx.register.bid_scores() == []


def test_a_bid_missing_from_the_sheet_is_reported_as_not_scored(config: Config) -> None:
    refs = round_with_bids(config, [8_000, 7_000])
    sheet = make_round_bundle(config) / "scoring-sheet.xlsx"
    book = openpyxl.load_workbook(sheet)
    book["Scores"].delete_rows(3)
    book.save(sheet)
    fill_scores(sheet, {sorted(refs)[0]: (5, 5, 5, 5, 5, 5)})
    with pytest.raises(ScoringSheetError, match=rf"{sorted(refs)[1]} .* has no row: every bid"):
        scores_import(config, sheet)


def test_the_bundle_ranks_scored_bids_and_recommends_them_within_the_fund(
    config: Config,
) -> None:
    config = small_fund(config, 20_000)
    eight, seven, six, five = round_with_bids(config, [8_000, 7_000, 6_000, 5_000])
    sheet = make_round_bundle(config) / "scoring-sheet.xlsx"
    fill_scores(
        sheet,
        {
            eight: (5, 5, 5, 5, 5, 5),  # 30
            seven: (4, 4, 4, 4, 4, 4),  # 24
            six: (3, 3, 3, 3, 3, 3),  # 18: £21,000 with the two above, over the £20,000 fund
            five: (2, 2, 2, 2, 2, 2),  # 12: £20,000 with the first two
        },
    )
    assert scores_import(config, sheet) == 4
    assert scores_import(config, sheet) == 0  # the same sheet again changes nothing
    text = bundle_text(make_round_bundle(config))
    assert "Capital round: ranked recommendations" in text
    assert "Version 2" in text and "made again whole with the capital round's scores" in text
    assert (
        "recommends to the Local Authority's Place, Planning and Sufficiency Board the bids "
        "marked Recommended: 3 of 4, £20,000.00 in all" in text
    )
    ranked = [
        text.index(ref, text.index("ranked recommendations")) for ref in (eight, seven, six, five)
    ]
    assert ranked == sorted(ranked)
    assert "30/30 £8,000.00 Recommended" in text
    assert "18/30 £6,000.00 Not recommended: the fund has not enough left" in text
    assert "12/30 £5,000.00 Recommended" in text


def test_a_decision_log_agreeing_a_bid_the_sheet_never_scored_is_refused_whole(
    config: Config,
) -> None:
    refs = sorted(round_with_bids(config, [8_000, 7_000]))
    folder = make_round_bundle(config)
    log = folder / "decision-log.xlsx"
    fill(log, [("Agreed", 8_000, None), ("Agreed", 7_000, None)])
    with open_context(config) as ctx, pytest.raises(DecisionLogError) as refused:
        import_decisions(ctx, log, ROUND_MEETING, by="Cluster admin")
    assert [(p.row, p.column) for p in refused.value.problems] == [
        (2, "Decision"),
        (3, "Decision"),
    ]
    assert all("has not been scored" in p.message for p in refused.value.problems)
    with open_context(config) as ctx:
        assert [d for d in ctx.register.decisions() if d.case_ref in refs] == []
