"""Failure 15 of issue 15: text from a form or a file name is never written as a formula.

Every workbook the project writes (the tracker, the decision log) is read back with openpyxl
and every cell holding one of the injection forms must be a text cell with the text as sent.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from meeting_fixtures import FixturePack, make_pack
from openpyxl import load_workbook

from pipeline.config import Config
from pipeline.meetings.decision_log import write_decision_log
from pipeline.models import Finding, Severity, Status, Submission
from pipeline.reports.tracker import tracker_bytes
from schemas.codes import RuleCode

INJECTIONS = (
    '=HYPERLINK("http://evil.example/x","Click")',
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(1,2)",
    "\t=1+2",
    "\r=1+2",
    "=cmd|' /C calc'!A0",  # DDE
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


def _cells_holding(data: bytes, texts: set[str]) -> list[tuple[str, str, object]]:
    """(data type, coordinate, value) of every cell whose value is, or came from, an injection."""
    book = load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and any(t.lstrip("\t\r") in value for t in texts):
                    found.append((cell.data_type, f"{sheet.title}!{cell.coordinate}", value))
    return found


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_injection_in_tracker_is_written_as_text(text: str) -> None:
    submission = Submission(
        submission_id="S-0000000000000001",
        case_ref=None,
        received_at=datetime(2025, 11, 3, 9, 0, tzinfo=UTC),
        sender="senco@stoke.gov.uk",
        subject=text,
        request_type=None,
        status=Status.incomplete,
        meeting=None,
        setting=text,
        pupil_initials=text,
        documents=(),
        findings=(
            Finding(
                code=RuleCode.unreadable_document,
                severity=Severity.error,
                document=text,
                message=text,
            ),
        ),
    )
    cells = _cells_holding(tracker_bytes([submission], datetime(2025, 11, 3, tzinfo=UTC)), {text})
    assert len(cells) >= 4  # setting, initials, the finding's document and its message
    assert {kind for kind, _, _ in cells} == {"s"}, cells
    assert all(value == text or text in str(value) for _, _, value in cells)


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_injection_in_decision_log_is_written_as_text(
    config: Config, tmp_path: Path, text: str
) -> None:
    made: FixturePack = make_pack(config, 3, word_originals=0, scanned=0)
    cases = tuple(
        case.model_copy(update={"setting": text, "pupil": None, "project_title": text})
        for case in made.pack.cases
    )
    path = tmp_path / "decision-log.xlsx"
    write_decision_log(path, made.pack.model_copy(update={"cases": cases}))
    cells = _cells_holding(path.read_bytes(), {text})
    assert len(cells) == 2 * len(cases)  # the setting and the project title of each case
    assert {kind for kind, _, _ in cells} == {"s"}, cells
    assert {value for _, _, value in cells} == {text}
