"""Issue 17: a run measures its own time by stage (store, parse, OCR, rules, register,
reports), so an admin or the benchmarks can see where the time went; OCR time comes back
from the sandboxed worker that did it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest
from test_scanned_forms import scanned_email

from pipeline import timings
from pipeline.config import Config
from pipeline.models import ReadDocument
from pipeline.runner import open_context, run_inbox
from pipeline.timings import STAGES, StageClock
from testkit.reliability.config_file import write_config
from testkit.samples import generate

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is not installed"
)


class FakeClock:
    """time.perf_counter that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    clock = FakeClock()
    monkeypatch.setattr(timings.time, "perf_counter", clock)
    yield clock


def read_by_ocr(seconds: float) -> ReadDocument:
    return ReadDocument(filename="scan.pdf", sha256="0" * 64, format="pdf-ocr", ocr_seconds=seconds)


def test_time_inside_a_nested_stage_counts_to_that_stage_alone(fake_time: FakeClock) -> None:
    clock = StageClock()
    with clock.stage("register"):
        fake_time.wait(1)
        with clock.stage("rules"):
            fake_time.wait(5)
        fake_time.wait(2)
    fake_time.wait(0.5)
    timed = clock.timings()
    assert (timed.seconds["register"], timed.seconds["rules"], timed.wall) == (3, 5, 8.5)
    assert timed.other == 0.5


def test_ocr_time_the_worker_reports_is_moved_from_parsing_to_ocr(fake_time: FakeClock) -> None:
    clock = StageClock()

    def worker() -> ReadDocument:
        fake_time.wait(4)
        return read_by_ocr(3)

    clock.parse(worker)
    timed = clock.timings()
    assert (timed.seconds["parse"], timed.seconds["ocr"]) == (1, 3)
    assert (timed.documents, timed.scanned) == (1, 1)


def test_ocr_time_never_exceeds_the_wait_for_the_worker(fake_time: FakeClock) -> None:
    """Pages read side by side can add up to more OCR time than the document took."""
    clock = StageClock()

    def worker() -> ReadDocument:
        fake_time.wait(2)
        return read_by_ocr(6)

    clock.parse(worker)
    timed = clock.timings()
    assert (timed.seconds["parse"], timed.seconds["ocr"]) == (0, 2)
    assert sum(timed.stages().values()) <= timed.wall


def test_a_run_reports_every_stage_and_they_add_up_to_no_more_than_its_wall_time(
    config: Config,
) -> None:
    generate(config.paths.inbox, config, seed=17, clean=3, defects=["missing_field"])
    with open_context(config) as ctx:
        summary = run_inbox(ctx)
    timed = summary.timings
    assert timed is not None
    assert set(timed.stages()) == set(STAGES)
    worked = ("store", "parse", "rules", "register", "reports")
    assert all(timed.stages()[stage] > 0 for stage in worked)
    assert timed.seconds["ocr"] == 0 and timed.scanned == 0  # nothing scanned in this inbox
    assert sum(timed.stages().values()) <= timed.wall
    assert timed.documents == attachments_read(config)


def attachments_read(config: Config) -> int:
    from pipeline.register import Register

    with Register(config.paths.register_db) as register:
        return sum(len(s.documents) for s in register.submissions())


@needs_tesseract
def test_a_scanned_form_reports_the_ocr_time_its_worker_measured(config: Config) -> None:
    (config.paths.inbox / "scan.eml").write_bytes(scanned_email(config))
    with open_context(config) as ctx:
        summary = run_inbox(ctx)
    timed = summary.timings
    assert timed is not None
    assert timed.scanned == 1 and timed.seconds["ocr"] > 0
    assert sum(timed.stages().values()) <= timed.wall


def test_a_second_run_times_only_itself(config: Config) -> None:
    generate(config.paths.inbox, config, seed=18, clean=2)
    with open_context(config) as ctx:
        run_inbox(ctx)
        again = run_inbox(ctx).timings
    assert again is not None
    assert again.documents == 0 and again.seconds["parse"] == 0
    assert again.seconds["store"] > 0


def test_pipeline_run_with_timings_prints_each_stage(config: Config) -> None:
    generate(config.paths.inbox, config, seed=19, clean=1)
    config_file = write_config(config, config.paths.inbox.parent / "config.toml")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--timings", "--config", str(config_file)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    table = done.stdout.split("Time by stage", 1)[1].splitlines()[1:]
    assert [line.split()[0] for line in table] == [
        "store",
        "parse",
        "OCR",
        "rules",
        "register",
        "reports",
        "other",
    ]
    assert f"({attachments_read(config)} document(s))" in done.stdout
