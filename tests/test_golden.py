"""The golden test: a structural change must not change what the pipeline makes.

The corpus (tests/golden/emails: 66 generated emails of every form kind and rule code, and the
shipped samples) was written once and is kept in git, so this test does not lean on today's
generator; expected.json is what e98a573 made of it. A deliberate change of behaviour
regenerates it with ``cd tests && python -m golden.capture`` and shows the difference in review.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from golden.outputs import EXPECTED, run_golden

from pipeline.config import Config
from pipeline.register import Register
from pipeline.reports.submission_json import write_submission_json


@pytest.fixture(scope="module")
def golden_config(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> Config:
    root: Path = tmp_path_factory.mktemp("golden")
    (root / "inbox").mkdir()
    return shipped_config.under(root)


@pytest.fixture(scope="module")
def outputs(golden_config: Config) -> dict[str, Any]:
    return run_golden(golden_config)


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(EXPECTED.read_text("utf-8"))
    return loaded


def test_golden_corpus_gives_the_same_submission_ids(
    outputs: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert sorted(outputs["submissions"]) == sorted(expected["submissions"])


@pytest.mark.parametrize("part", ["status", "case_ref", "request_type", "meeting", "findings"])
def test_golden_corpus_gives_the_same_outcome(
    outputs: dict[str, Any], expected: dict[str, Any], part: str
) -> None:
    got = {k: v[part] for k, v in outputs["submissions"].items()}
    assert got == {k: v[part] for k, v in expected["submissions"].items()}


def test_golden_corpus_gives_the_same_json(
    outputs: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert outputs["submissions"] == expected["submissions"]


def test_golden_corpus_gives_the_same_tracker_rows(
    outputs: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert outputs["tracker"] == expected["tracker"]


def test_golden_corpus_gives_the_same_report_text(
    outputs: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert outputs["report"] == expected["report"]


def test_each_json_is_what_its_record_in_the_register_gives_again(
    outputs: dict[str, Any], golden_config: Config, tmp_path: Path
) -> None:
    """The run writes each JSON from the submission it has just recorded; written again from
    the committed record, read back by another connection (as ``pipeline report`` does after
    a crash), it is the same file, byte for byte."""
    written = sorted((golden_config.paths.outbox / "submissions").glob("*.json"))
    assert len(written) == len(outputs["submissions"])
    with Register(golden_config.paths.register_db) as register:
        for path in written:
            submission = register.submission(path.stem)
            assert submission is not None
            again = write_submission_json(tmp_path, submission)
            assert again.read_bytes() == path.read_bytes(), path.name
