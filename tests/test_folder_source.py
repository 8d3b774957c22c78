"""The drop folder: what is listed and read, and the watcher that waits for files to settle."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.config import Intake
from pipeline.errors import SourceError
from pipeline.models import Incoming
from pipeline.sources.folder import FolderSource
from pipeline.sources.watch import watch

INTAKE = Intake(blocked_extensions=(".exe",), settle_seconds=0.3)
DEADLINE = 10.0


def test_pending_yields_regular_files_sorted_by_name(tmp_path: Path) -> None:
    for name in ("b.pdf", "a.docx", "C.xlsx"):
        (tmp_path / name).write_bytes(name.encode())
    os.utime(tmp_path / "a.docx", (1_700_000_000, 1_700_000_000))

    found = list(FolderSource(tmp_path, INTAKE).pending())

    assert [i.filename for i in found] == ["C.xlsx", "a.docx", "b.pdf"]
    assert [i.ref for i in found] == ["C.xlsx", "a.docx", "b.pdf"]
    assert found[1].data == b"a.docx"
    assert found[1].source == "folder"
    assert found[1].arrived_at == datetime.fromtimestamp(1_700_000_000, tz=UTC)


def test_pending_skips_lock_partial_temporary_and_hidden_files_and_folders(tmp_path: Path) -> None:
    for name in ("~$x.docx", "a.part", "b.tmp", "C.TMP", ".DS_Store", "keep.docx"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.docx").write_bytes(b"x")

    assert [i.filename for i in FolderSource(tmp_path, INTAKE).pending()] == ["keep.docx"]


def test_pending_leaves_the_files_in_place(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"x")
    source = FolderSource(tmp_path, INTAKE)

    for incoming in source.pending():
        source.finished(incoming, quarantined=False)

    assert (tmp_path / "a.docx").read_bytes() == b"x"


def test_a_file_that_vanishes_before_it_is_read_is_skipped_and_logged_without_its_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("Zoe Smith referral.docx", "b.docx"):
        (tmp_path / name).write_bytes(b"x")
    pending = FolderSource(tmp_path, INTAKE).pending()

    first = next(pending)
    (tmp_path / "b.docx").unlink()

    assert first.filename == "Zoe Smith referral.docx"
    assert list(pending) == []
    assert "skipped drop-folder file 2" in caplog.text
    assert "b.docx" not in caplog.text


def test_a_missing_drop_folder_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="drop folder"):
        list(FolderSource(tmp_path / "missing", INTAKE).pending())
    with pytest.raises(SourceError, match="drop folder"):
        watch(tmp_path / "missing", INTAKE, lambda incoming: None, threading.Event())


# --- the watcher ------------------------------------------------------------------------------


class Watcher:
    """The watcher on a thread, recording what it hands over."""

    def __init__(
        self,
        folder: Path,
        handle: Callable[[Incoming], None] | None = None,
        intake: Intake = INTAKE,
    ) -> None:
        self.handled: list[Incoming] = []
        self.stop = threading.Event()
        self._handle = handle
        self.thread = threading.Thread(
            target=watch, args=(folder, intake, self._record, self.stop, 0.02), daemon=True
        )

    def _record(self, incoming: Incoming) -> None:
        self.handled.append(incoming)
        if self._handle:
            self._handle(incoming)

    def wait_for(self, count: int) -> list[Incoming]:
        deadline = time.monotonic() + DEADLINE
        while len(self.handled) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.handled) >= count, f"only {len(self.handled)} of {count} handled"
        return self.handled

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=DEADLINE)


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[Callable[..., Watcher]]:
    started: list[Watcher] = []

    def start(handle: Callable[[Incoming], None] | None = None, intake: Intake = INTAKE) -> Watcher:
        started.append(Watcher(tmp_path, handle, intake))
        started[-1].thread.start()
        return started[-1]

    yield start
    for running in started:
        running.close()


def test_watcher_handles_files_already_waiting(
    tmp_path: Path, watcher: Callable[..., Watcher]
) -> None:
    (tmp_path / "waiting.docx").write_bytes(b"old")

    handled = watcher().wait_for(1)

    assert [(i.filename, i.data) for i in handled] == [("waiting.docx", b"old")]


def test_watcher_hands_over_a_file_written_in_chunks_once_with_its_full_content(
    tmp_path: Path, watcher: Callable[..., Watcher]
) -> None:
    running = watcher()
    with (tmp_path / "referral.docx").open("wb") as handle:
        for chunk in (b"first ", b"second ", b"third"):
            handle.write(chunk)
            handle.flush()
            time.sleep(0.1)  # shorter than settle_seconds: the file is still growing

    running.wait_for(1)
    running.close()

    assert [(i.filename, i.data) for i in running.handled] == [
        ("referral.docx", b"first second third")
    ]


def test_watcher_hands_over_a_file_closed_after_writing_without_waiting_to_settle(
    tmp_path: Path, watcher: Callable[..., Watcher]
) -> None:
    running = watcher(intake=Intake(blocked_extensions=(), settle_seconds=600))
    time.sleep(0.5)  # the observer is running: the file arrives, it was not already waiting
    dropped = time.monotonic()
    (tmp_path / "referral.eml").write_bytes(b"complete")

    handled = running.wait_for(1)

    assert [(i.filename, i.data) for i in handled] == [("referral.eml", b"complete")]
    assert time.monotonic() - dropped < DEADLINE  # nowhere near the 600 s settle time


def test_watcher_waits_for_settle_while_a_file_is_still_open_for_writing(
    tmp_path: Path, watcher: Callable[..., Watcher]
) -> None:
    running = watcher(intake=Intake(blocked_extensions=(), settle_seconds=600))
    with (tmp_path / "referral.docx").open("wb") as handle:
        handle.write(b"first part")
        handle.flush()
        time.sleep(1.0)

        assert running.handled == []  # still open and never settled: not read half-written

    assert [i.data for i in running.wait_for(1)] == [b"first part"]


def test_watcher_hands_over_a_file_again_when_it_gets_new_content(
    tmp_path: Path, watcher: Callable[..., Watcher]
) -> None:
    running = watcher()
    (tmp_path / "map.xlsx").write_bytes(b"version 1")
    running.wait_for(1)

    (tmp_path / "map.xlsx").write_bytes(b"version 2")

    assert [i.data for i in running.wait_for(2)] == [b"version 1", b"version 2"]


def test_watcher_takes_a_file_moved_into_the_folder(
    tmp_path: Path, watcher: Callable[..., Watcher]
) -> None:
    running = watcher()
    (tmp_path / "copying.part").write_bytes(b"done")
    (tmp_path / "copying.part").rename(tmp_path / "copied.pdf")

    assert [(i.filename, i.data) for i in running.wait_for(1)] == [("copied.pdf", b"done")]


def test_watcher_ignores_temporary_files(tmp_path: Path, watcher: Callable[..., Watcher]) -> None:
    running = watcher()
    for name in ("~$referral.docx", "download.part", "x.tmp", ".hidden"):
        (tmp_path / name).write_bytes(b"temporary")
    (tmp_path / "real.docx").write_bytes(b"real")

    running.wait_for(1)
    running.close()

    assert [i.filename for i in running.handled] == ["real.docx"]


def test_watcher_goes_on_after_handle_raises(
    tmp_path: Path, watcher: Callable[..., Watcher]
) -> None:
    def fail_on_first(incoming: Incoming) -> None:
        if incoming.filename == "a.docx":
            raise RuntimeError("disk full")

    running = watcher(fail_on_first)
    (tmp_path / "a.docx").write_bytes(b"a")
    running.wait_for(1)
    (tmp_path / "b.docx").write_bytes(b"b")

    assert [i.filename for i in running.wait_for(2)] == ["a.docx", "b.docx"]


def test_watcher_returns_when_stop_is_set(tmp_path: Path, watcher: Callable[..., Watcher]) -> None:
    running = watcher()

    running.close()

    assert not running.thread.is_alive()
