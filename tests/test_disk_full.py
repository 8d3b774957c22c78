"""Failure 12 of issue 15: a full disk, or a read-only one, under outbox/, the store or the
register.

The run stops with exit code 3 and one line saying which folder and why (no traceback, no
email blamed for it); nothing is half-recorded (every submission the register knows has its
JSON or is marked in the register for the next run to write it, every output parses, the
register is intact); and the next run, once there is room, completes what was left.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.config import Config
from pipeline.runner import REPORT_NAME, TRACKER_NAME
from testkit.reliability.config_file import write_config
from testkit.reliability.consistency import check_consistency
from testkit.samples import generate

if TYPE_CHECKING:
    from mounts import Mounts

pytest_plugins = ["mounts"]  # the mounts fixture
EMAILS = 6


def _run(config_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--config", str(config_file)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _nothing_half_recorded(config: Config) -> None:
    found = check_consistency(config)
    assert found.integrity == "ok"
    missing = [n for n in (REPORT_NAME, TRACKER_NAME) if not (config.paths.outbox / n).exists()]
    assert found.half_written == len(missing)  # a report not written yet, none half-written
    waiting = ("never recorded", "missing from", "still to be written")
    problems = [n for n in found.notes if not any(w in n for w in waiting)]
    assert problems == []


def _placed(config: Config, tmp_path: Path, folder: str) -> Config:
    """The config with ``folder`` (outbox, store or the register's) under tmp_path/folder."""
    paths = config.paths
    moved = {
        "outbox": {"outbox": tmp_path / "outbox"},
        "store": {"store": tmp_path / "store"},
        "register": {"register_db": tmp_path / "register" / "register.sqlite"},
    }[folder]
    return config.model_copy(update={"paths": paths.model_copy(update=moved)})


def _mount_point(config: Config, folder: str) -> Path:
    paths = config.paths
    return {"outbox": paths.outbox, "store": paths.store, "register": paths.register_db.parent}[
        folder
    ]


def _stops_with_one_line(done: subprocess.CompletedProcess[str], reason: str) -> None:
    assert done.returncode == 3, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and reason in errors[0], done.stderr
    assert "Traceback" not in done.stderr
    assert "could not be processed" not in done.stderr  # no email blamed for the disk


@pytest.mark.parametrize(
    ("folder", "size_kb", "reason"),
    [
        ("outbox", 64, "No space left on device"),
        ("store", 320, "No space left on device"),
        ("register", 160, "database or disk is full"),
    ],
)
def test_disk_full_stops_with_exit_3_and_one_line_and_the_next_run_completes(
    config: Config, tmp_path: Path, mounts: Mounts, folder: str, size_kb: int, reason: str
) -> None:
    config = _placed(config, tmp_path, folder)
    mounts.tmpfs(_mount_point(config, folder), size_kb)
    generate(config.paths.inbox, config, seed=72, clean=4, defects=["no_consent", "missing_field"])
    config_file = write_config(config, tmp_path / "config.toml")
    _stops_with_one_line(_run(config_file), reason)
    _nothing_half_recorded(config)
    mounts.resize(_mount_point(config, folder), 16_384)
    assert _run(config_file).returncode == 0
    found = check_consistency(config)
    assert found.ok and found.processed == EMAILS, found.notes


@pytest.mark.parametrize("folder", ["outbox", "store", "register"])
def test_read_only_folder_stops_with_exit_3_and_one_line_and_the_next_run_completes(
    config: Config, tmp_path: Path, mounts: Mounts, folder: str
) -> None:
    config = _placed(config, tmp_path, folder)
    generate(config.paths.inbox, config, seed=73, clean=5, defects=["no_consent"])
    config_file = write_config(config, tmp_path / "config.toml")
    point = _mount_point(config, folder)
    point.mkdir(mode=0o700, parents=True)
    if folder == "register":  # an existing register on a disk that turned read-only
        (config.paths.inbox / "later").mkdir()
        for email in sorted(config.paths.inbox.glob("*.eml"))[3:]:
            email.rename(config.paths.inbox / "later" / email.name)
        assert _run(config_file).returncode == 0
        for email in (config.paths.inbox / "later").iterdir():
            email.rename(config.paths.inbox / email.name)
        (config.paths.inbox / "later").rmdir()
    mounts.read_only(point)
    _stops_with_one_line(_run(config_file), "Read-only file system")
    mounts.writable(point)  # first: SQLite cannot open a register in a read-only folder
    _nothing_half_recorded(config)
    assert _run(config_file).returncode == 0
    found = check_consistency(config)
    assert found.ok and found.processed == EMAILS, found.notes
