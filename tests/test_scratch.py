"""A document's scratch copy left by a process that was killed while converting it is removed
by the next command that opens the register; a live process's copy is left alone."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.runner import open_context


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def ended_process() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def left_copy(scratch: Path, purpose: str, pid: int) -> Path:
    folder = scratch / f"{purpose}-{pid}-k3j9x2"
    folder.mkdir()
    (folder / "document.doc").write_bytes(b"a pupil's referral")
    return folder


@pytest.mark.parametrize("purpose", ["read-convert", "bundle-convert"])
def test_a_copy_left_by_a_killed_conversion_is_removed_by_the_next_command(
    config: Config, scratch: Path, purpose: str
) -> None:
    left = left_copy(scratch, purpose, ended_process())
    with open_context(config):
        pass
    assert not left.exists()


def test_a_copy_a_running_process_is_converting_is_left_alone(
    config: Config, scratch: Path
) -> None:
    converting = left_copy(scratch, "read-convert", os.getpid())
    with open_context(config):
        pass
    assert (converting / "document.doc").exists()


def test_other_folders_in_the_temporary_folder_are_left_alone(
    config: Config, scratch: Path
) -> None:
    others = [scratch / "read-convert-notes", scratch / "someone-else-123-x"]
    for folder in others:
        folder.mkdir()
    with open_context(config):
        pass
    assert all(folder.exists() for folder in others)


@pytest.mark.parametrize(
    "name", ["read-convert-²-x", "read-convert-99999999999999999999-x", "read-convert-0-x"]
)
def test_a_folder_named_like_a_copy_but_for_no_process_is_left_alone(
    config: Config, scratch: Path, name: str
) -> None:
    (scratch / name).mkdir()
    with open_context(config):
        pass
    assert (scratch / name).exists()


def test_a_copy_named_for_a_number_no_process_can_have_does_not_stop_the_command(
    config: Config, scratch: Path
) -> None:
    left = left_copy(scratch, "read-convert", 3_000_000_000)
    with open_context(config):
        pass
    assert not left.exists()
