"""The decision log: written with drop-downs, read back with every row checked."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from meeting_fixtures import MEETING, FixturePack, make_pack
from openpyxl import load_workbook

from pipeline.config import Config
from pipeline.errors import PipelineError
from pipeline.meetings.decision_log import (
    COLUMNS,
    DecisionLogError,
    read_decision_log,
    write_decision_log,
)
from pipeline.outcomes import Decision, DecisionKind

DECISION_COL, AMOUNT_COL, REVIEW_COL, ACTIONS_COL = 6, 7, 8, 9


@pytest.fixture
def made(config: Config) -> FixturePack:
    return make_pack(config, 8, word_originals=0, scanned=0)


@pytest.fixture
def log(made: FixturePack, tmp_path: Path) -> Path:
    path = tmp_path / "decision-log.xlsx"
    write_decision_log(path, made.pack)
    return path


def _known(made: FixturePack) -> set[str]:
    return {case.case_ref for case in made.pack.cases}


def _filled(path: Path, rows: dict[int, tuple[Any, ...]]) -> bytes:
    """The log with (decision, amount, review date, actions) typed into the given rows."""
    workbook = load_workbook(path)
    sheet = workbook["Decisions"]
    for row, values in rows.items():
        for offset, value in enumerate(values):
            sheet.cell(row=row, column=DECISION_COL + offset, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_log_has_one_row_per_case_under_a_frozen_header(made: FixturePack, log: Path) -> None:
    sheet = load_workbook(log)["Decisions"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert sorted(sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)) == sorted(
        _known(made)
    )
    assert sheet.freeze_panes == "A2"


def test_the_decision_column_has_the_four_decisions_as_a_drop_down(
    made: FixturePack, log: Path
) -> None:
    sheet = load_workbook(log)["Decisions"]
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    last = len(made.pack.cases) + 1
    drop_down = rules[f"F2:F{last}"]
    assert drop_down.type == "list"
    assert drop_down.formula1 == '"Agreed,Agreed with changes,Declined,Deferred"'
    assert rules[f"G2:G{last}"].type == "decimal"
    assert rules[f"H2:H{last}"].type == "date"


def test_a_filled_log_reads_back_as_decisions(made: FixturePack, log: Path) -> None:
    data = _filled(
        log,
        {
            2: ("Agreed", 3350, datetime(2026, 7, 9), "Review at the July meeting"),
            3: ("agreed with changes", "£2,500.50", None, "Reduce the therapy sessions"),
            4: ("Declined", None, None, "Not high needs"),
            5: ("Deferred", None, None, "More evidence needed"),
        },
    )
    refs = sorted(_known(made))
    assert read_decision_log(data, MEETING, _known(made)) == [
        Decision(
            case_ref=refs[0],
            meeting=MEETING,
            decision=DecisionKind.agreed,
            amount_agreed=3350.0,
            review_date=date(2026, 7, 9),
            actions="Review at the July meeting",
        ),
        Decision(
            case_ref=refs[1],
            meeting=MEETING,
            decision=DecisionKind.agreed_with_changes,
            amount_agreed=2500.5,
            actions="Reduce the therapy sessions",
        ),
        Decision(
            case_ref=refs[2],
            meeting=MEETING,
            decision=DecisionKind.declined,
            actions="Not high needs",
        ),
        Decision(
            case_ref=refs[3],
            meeting=MEETING,
            decision=DecisionKind.deferred,
            actions="More evidence needed",
        ),
    ]


def test_agreed_with_no_amount_names_the_row_and_column_and_imports_nothing(
    made: FixturePack, log: Path
) -> None:
    data = _filled(log, {2: ("Agreed", 1000, None, ""), 5: ("Agreed", None, None, "")})
    with pytest.raises(DecisionLogError) as raised:
        read_decision_log(data, MEETING, _known(made))
    assert (raised.value.row, raised.value.column) == (5, "Amount agreed")
    assert "row 5" in str(raised.value) and "Amount agreed" in str(raised.value)
    assert isinstance(raised.value, PipelineError)


@pytest.mark.parametrize(
    ("values", "column", "words"),
    [
        (("Approved", 100, None, ""), "Decision", "not one of"),
        (("Agreed", -5, None, ""), "Amount agreed", "negative"),
        (("Agreed", "lots", None, ""), "Amount agreed", "not an amount"),
        (("Declined", 400, None, ""), "Amount agreed", "must be blank"),
        (("Agreed", 100, "next summer", ""), "Review date", "not a date"),
        (("Agreed", 100, datetime(2026, 12, 12), ""), "Review date", "12 months"),
        (("Agreed", 100, datetime(2025, 12, 1), ""), "Review date", "12 months"),
        ((None, 100, None, ""), "Decision", "empty"),
    ],
)
def test_a_bad_row_is_refused_with_its_column(
    made: FixturePack, log: Path, values: tuple[Any, ...], column: str, words: str
) -> None:
    with pytest.raises(DecisionLogError, match=words) as raised:
        read_decision_log(_filled(log, {4: values}), MEETING, _known(made))
    assert (raised.value.row, raised.value.column) == (4, column)


def test_an_unknown_case_ref_is_refused(made: FixturePack, log: Path) -> None:
    data = _filled(log, {3: ("Agreed", 100, None, "")})
    with pytest.raises(DecisionLogError, match="not a case") as raised:
        read_decision_log(data, MEETING, _known(made) - {sorted(_known(made))[1]})
    assert (raised.value.row, raised.value.column) == (3, "Case ref")


def test_blank_rows_and_undecided_cases_are_skipped(made: FixturePack, log: Path) -> None:
    workbook = load_workbook(log)
    sheet = workbook["Decisions"]
    sheet.insert_rows(3)
    sheet.cell(row=2, column=DECISION_COL, value="Deferred")
    out = io.BytesIO()
    workbook.save(out)
    decisions = read_decision_log(out.getvalue(), MEETING, _known(made))
    assert [d.decision for d in decisions] == [DecisionKind.deferred]


def test_a_log_for_another_meeting_is_refused(made: FixturePack, log: Path) -> None:
    with pytest.raises(DecisionLogError, match="another meeting"):
        read_decision_log(log.read_bytes(), date(2026, 2, 5), _known(made))


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(DecisionLogError, match="not an Excel workbook"):
        read_decision_log(b"not a spreadsheet", MEETING, set())


def test_every_bad_cell_is_reported_in_one_read(made: FixturePack, log: Path) -> None:
    data = _filled(
        log,
        {
            2: ("Agreed", "lots", "next summer", ""),
            4: ("Approved", None, None, ""),
            6: ("Declined", 400, None, ""),
        },
    )
    with pytest.raises(DecisionLogError) as raised:
        read_decision_log(data, MEETING, _known(made))
    assert [(p.row, p.column) for p in raised.value.problems] == [
        (2, "Amount agreed"),
        (2, "Review date"),
        (4, "Decision"),
        (6, "Amount agreed"),
    ]
    assert str(raised.value).count("\n  row ") == 4
