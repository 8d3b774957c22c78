"""One parsing worker process, from the parent's side: started from the fork server, handed
one document at a time, held to its limits (memory in the worker; time here, counted in the
worker's CPU seconds by :mod:`pipeline.worker_clock`), and replaced when a document kills it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from time import monotonic

from pipeline.errors import PipelineError
from pipeline.models import ReadDocument
from pipeline.read import Unreadable
from pipeline.sandbox_worker import Limits, OverLimit, guarded_read, over_memory, start_worker
from pipeline.scratch import remove_folders_of
from pipeline.worker_clock import POLL_SECONDS, WALL_TIMES, cpu_seconds

log = logging.getLogger(__name__)
MB = 1024 * 1024
# A worker is replaced after this many documents: what the parsers' caches and the
# allocator's fragments hold is given back, and the process tree stays small with a worker
# per core.
DOCUMENTS_PER_WORKER = 100
START_ATTEMPTS = 2  # a worker failing to start this many times running is the machine's fault


class WorkerUnavailable(PipelineError):
    """No parsing worker can start: the machine's doing (its memory limits, say), never a
    document's, so no document is reported unreadable for it and the run stops."""


class Worker:
    """One worker process reading one document at a time, started on first use and replaced
    when a document kills it (or after DOCUMENTS_PER_WORKER documents)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._executor: ProcessPoolExecutor | None = None
        self._read = 0  # documents the current process has read
        self._ready = False  # the current process has answered since it started

    def read(self, data: bytes | Path, filename: str, sha256: str) -> ReadDocument | None:
        self._make_ready()
        future = self._submit(data, filename, sha256)
        try:
            document = self._result(future)
        except OverLimit:
            self.close()
            log.warning("document %s exceeded the parser's memory limit", sha256[:12])
            raise
        except FutureTimeout:
            self.close()
            log.warning("document %s took over %ss to parse", sha256[:12], self.limits.timeout)
            raise Unreadable(
                f"the file took more than {self.limits.timeout:g} seconds to open and was "
                "stopped; it may be damaged or far too large"
            ) from None
        except (BrokenProcessPool, MemoryError):
            self.close()
            log.warning("document %s stopped the parser's worker", sha256[:12])
            raise OverLimit(over_memory(self.limits.memory_mb)) from None
        self._retire_if_worn()
        return document

    def _result(self, future: Future[ReadDocument | None]) -> ReadDocument | None:
        """The reading, given ``limits.timeout`` seconds of the worker's CPU time (see
        :mod:`pipeline.worker_clock`); FutureTimeout once it has used them, or has taken
        WALL_TIMES as long by the clock."""
        limit = self.limits.timeout
        pid = next(iter(self.pids()), None)
        before = cpu_seconds(pid) if pid is not None else None
        deadline = monotonic() + limit * WALL_TIMES
        wait = limit
        while True:
            try:
                return future.result(timeout=wait)
            except FutureTimeout:
                now = cpu_seconds(pid) if pid is not None else None
                if before is None or now is None or now - before >= limit:
                    raise
                if monotonic() >= deadline:
                    raise
                wait = min(POLL_SECONDS, limit - (now - before), deadline - monotonic())

    def _retire_if_worn(self) -> None:
        self._read += 1
        if self._read >= DOCUMENTS_PER_WORKER and self._executor is not None:
            self._executor.shutdown(wait=True)  # idle: it exits at once
            self._executor = None

    @property
    def running(self) -> bool:
        return self._executor is not None

    def start(self) -> None:
        """Start the process now and wait until it is ready, rather than on the first read;
        one that fails to start is tried again by that read (``_make_ready``)."""
        self._answers()

    def _make_ready(self) -> None:
        """The worker process started, and answering, before a document is handed to it: a
        process that dies before it has seen the document must not be blamed on it."""
        if self._ready and self._executor is not None:
            return
        for _ in range(START_ATTEMPTS):
            if self._answers():
                return
        raise WorkerUnavailable(_cannot_start(self.limits.memory_mb))

    def _answers(self) -> bool:
        try:
            self._started().submit(os.getpid).result(timeout=self.limits.timeout)
        except Exception as exc:
            log.warning("a parsing worker did not start: %s", type(exc).__name__)
            self.close()
            return False
        self._ready = True
        return True

    def pids(self) -> set[int]:
        return set((getattr(self._executor, "_processes", None) or {}).keys())

    def close(self) -> None:
        if self._executor is None:
            return
        # A worker stuck in a parser never reads the shutdown request: end it.
        workers = list((getattr(self._executor, "_processes", None) or {}).values())
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            _end(process)
        self._executor = None

    def _submit(
        self, data: bytes | Path, filename: str, sha256: str
    ) -> Future[ReadDocument | None]:
        try:
            return self._started().submit(guarded_read, data, filename, sha256, self.limits)
        except BrokenProcessPool:
            self.close()
            return self._submit(data, filename, sha256)

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=_worker_context(),
                initializer=start_worker,
                initargs=(self.limits.memory_mb, os.getpid()),
            )
            self._read = 0
            self._ready = False
        return self._executor


def _end(process: multiprocessing.process.BaseProcess) -> None:
    """End a worker, running or already dead (killed by the kernel for memory), with the
    LibreOffice it may have left converting (in a session of its own, it outlives the worker)
    and the copy of the document it gave it."""
    if process.is_alive():
        process.kill()
        process.join(timeout=5)
    if process.pid is not None:
        remove_folders_of(process.pid)


def _cannot_start(memory_mb: int) -> str:
    cap = resource.getrlimit(resource.RLIMIT_AS)[1]
    allowed = "" if cap == resource.RLIM_INFINITY else f", and this machine allows {cap // MB:,} MB"
    return (
        "a parsing worker could not start: each worker maps what it starts with plus "
        f"intake.parse_memory_mb ({memory_mb:,} MB){allowed}; lower parse_memory_mb or raise "
        "the machine's memory limit for the pipeline. No email was recorded"
    )


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers come from a fork server, not from a fork of this process.

    A service has threads (the watcher, the poller, the desk); forking a threaded process
    copies locks another thread held at that moment, and the worker can wait on them for ever
    (seen as a plain form "taking over 60 s" in `serve`). The fork server is a fresh,
    single-threaded process with the readers already imported, so a worker still starts fast.
    The fork server belongs to the process that started it: a process forked from that one
    (a test's killed child) cannot use it, and spawns its workers instead.
    """
    global _FORK_SERVER_OWNER
    if _FORK_SERVER_OWNER is None:
        _FORK_SERVER_OWNER = os.getpid()
    if os.getpid() != _FORK_SERVER_OWNER:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.worker_preload"])
    return context


_FORK_SERVER_OWNER: int | None = None  # the process whose fork server makes the workers
