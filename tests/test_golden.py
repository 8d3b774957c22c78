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


@pytest.fixture(scope="module")
def outputs(shipped_config: Config, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root: Path = tmp_path_factory.mktemp("golden")
    (root / "inbox").mkdir()
    return run_golden(shipped_config.under(root))


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
