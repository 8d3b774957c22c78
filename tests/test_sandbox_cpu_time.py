"""A document's time limit is the worker's own CPU time: a reading that waits for a core on a
busy machine is not stopped for the wait, while one that waits past four times its limit by
the clock still is. A stopped worker (SIGSTOP) is a reading held off the CPU entirely."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

import pytest

from pipeline import sandbox_process
from pipeline.read import Unreadable
from pipeline.sandbox import Limits, ParserPool
from testkit.reliability import files

SHA = "0" * 64


@pytest.fixture
def pool() -> Iterator[ParserPool]:
    pool = ParserPool(Limits(1.0, 4096, max_unzipped_mb=500, max_zip_ratio=10_000))
    try:
        assert pool.read(files.plain_docx(), "first.docx", SHA) is not None  # started
        yield pool
    finally:
        pool.close()


@pytest.fixture
def held_worker(pool: ParserPool) -> Iterator[int]:
    """The pool's worker, stopped: it gets no CPU until it is continued."""
    pid = next(iter(pool.worker_pids()))
    os.kill(pid, signal.SIGSTOP)
    try:
        yield pid
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)


def test_a_reading_held_off_the_cpu_past_its_limit_by_the_clock_is_read(
    pool: ParserPool, held_worker: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_after_the_limit = threading.Event()
    calls: list[int] = []
    measured = sandbox_process.cpu_seconds

    def watched(pid: int) -> float | None:
        calls.append(pid)
        if len(calls) == 2:  # the first look is as the reading starts, the second past 1 s
            looked_after_the_limit.set()
        return measured(pid)

    monkeypatch.setattr(sandbox_process, "cpu_seconds", watched)
    resume = threading.Thread(
        target=lambda: looked_after_the_limit.wait(60) and os.kill(held_worker, signal.SIGCONT)
    )
    resume.start()
    try:
        document = pool.read(files.plain_docx("read at last"), "held.docx", SHA)
    finally:
        looked_after_the_limit.set()
        resume.join()
    assert document is not None and document.paragraphs[0].text == "read at last"


def test_a_reading_held_off_the_cpu_for_four_times_its_limit_is_stopped(
    pool: ParserPool, held_worker: int
) -> None:
    with pytest.raises(Unreadable, match="took more than 1 seconds"):
        pool.read(files.plain_docx("never read"), "held.docx", SHA)
    document = pool.read(files.plain_docx("after"), "after.docx", SHA)
    assert document is not None and document.paragraphs[0].text == "after"
