"""Parse each document in a worker process with a size, time and memory limit.

A poisoned file (a zip bomb, a PDF that makes a parser loop, an XML that expands forever)
then costs a finding, not the run: the worker is killed and replaced, and the document is
reported unreadable with the reason. A file over the cluster's size limit is kept in the
store but never parsed. The pool has one worker per core (``intake.parse_workers``), each
reading one document at a time under its own limits, so the attachments of an email are read
side by side. A worker takes a second to start (the fork server's readers are imported first):
``warm`` starts them in the background while the first email is being stored, and keeps a
watching service's workers running between arrivals.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from time import monotonic

from pipeline.config import Intake
from pipeline.errors import PipelineError
from pipeline.models import ReadDocument
from pipeline.read import Unreadable
from pipeline.sandbox_worker import Limits, OverLimit, guarded_read, over_memory, start_worker
from pipeline.worker_clock import POLL_SECONDS, WALL_TIMES, cpu_seconds

__all__ = ["Limits", "OverLimit", "ParserPool", "guarded_read"]

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


class ParserPool:
    """Workers started on first use or by ``warm`` (at most ``workers``), each replaced when
    a document kills it; ``read`` takes the worker used last that is free.

    The pool belongs to the context that opened it (``runner.open_context``), which closes it;
    workers are costly to start, so a context's stages share its pool.
    """

    def __init__(self, limits: Limits, workers: int = 1) -> None:
        self.limits = limits
        self.timeout = limits.timeout
        self.memory_mb = limits.memory_mb
        self.workers = max(1, workers)
        self._idle = [_Worker(limits) for _ in range(self.workers)]  # a stack: last used on top
        self._all = tuple(self._idle)
        self._free = threading.Condition()
        self._dispatch: ThreadPoolExecutor | None = None
        self._warming: threading.Thread | None = None  # starting the workers not running
        self._keep_warm = False  # until release or close

    @classmethod
    def of(cls, intake: Intake) -> ParserPool:
        """The pool the configuration asks for: its limits, ``parse_workers`` workers."""
        return cls(Limits.of(intake), intake.parse_workers)

    def read(self, data: bytes | Path, filename: str, sha256: str) -> ReadDocument | None:
        """Like read_document, but in a worker; raises Unreadable for a hostile file.

        ``data`` is the file's bytes or, better, its path in the store: the worker then reads
        it, and the bytes are neither held here nor copied down the pipe to it."""
        size = data.stat().st_size if isinstance(data, Path) else len(data)
        if size > self.limits.max_attachment_mb * MB:
            raise Unreadable(
                f"the file is {size / MB:,.1f} MB, larger than the "
                f"{self.limits.max_attachment_mb:g} MB the cluster accepts, so it was kept but "
                "not opened; please send a smaller file"
            )
        if isinstance(data, Path):
            data = data.absolute()  # the worker's folder is the fork server's, not ours now
        worker = self._take()
        try:
            return worker.read(data, filename, sha256)
        finally:
            self._give(worker)

    def submit(self, data: bytes | Path, filename: str, sha256: str) -> Future[ReadDocument | None]:
        """``read`` on the next free worker; the future gives its result or raises its error."""
        with self._free:
            if self._dispatch is None:
                self._dispatch = ThreadPoolExecutor(self.workers, thread_name_prefix="parse")
            dispatch = self._dispatch
        return dispatch.submit(self.read, data, filename, sha256)

    def release(self) -> None:
        """End the workers once every read in hand is done (the next read starts one again):
        a run that has read its mail holds no idle workers while it writes its reports."""
        with self._free:
            self._keep_warm = False
            self._free.wait_for(lambda: len(self._idle) == self.workers)
            for worker in self._all:
                worker.close()

    def worker_pids(self) -> set[int]:
        return {pid for worker in self._all for pid in worker.pids()}

    def close(self) -> None:
        with self._free:
            self._keep_warm = False
            dispatch, self._dispatch = self._dispatch, None
            warming = self._warming
        if warming is not None:
            warming.join()
        if dispatch is not None:
            dispatch.shutdown(wait=True, cancel_futures=True)
        for worker in self._all:
            worker.close()

    def warm(self) -> None:
        """Start the workers that are not running, on a thread, so that the documents to come
        find them ready; one ended by a hostile file or worn out is started again. Cheap when
        they all run: call it whenever mail arrives. ``release`` and ``close`` end them."""
        with self._free:
            self._keep_warm = True
            if self._warming is not None or all(w.running for w in self._idle):
                return
            self._warming = threading.Thread(
                target=self._start_stopped_workers, name="parse-warm", daemon=True
            )
            self._warming.start()

    def wait_warm(self, timeout: float) -> bool:
        """Wait until ``warm`` has started every worker; False if ``timeout`` passed first."""
        with self._free:
            return self._free.wait_for(
                lambda: self._warming is None and all(w.running for w in self._all), timeout
            )

    def _start_stopped_workers(self) -> None:
        tried: list[_Worker] = []  # once each: one that cannot start is left to its next read
        while (worker := self._take_stopped(tried)) is not None:
            tried.append(worker)
            try:
                worker.start()
            finally:
                self._give(worker)

    def _take_stopped(self, tried: list[_Worker]) -> _Worker | None:
        """A free worker not running, taken like ``_take``; None ends the warming thread."""
        with self._free:
            stopped = [w for w in self._idle if not (w.running or w in tried)]
            if not (stopped and self._keep_warm):
                self._warming = None
                self._free.notify_all()
                return None
            self._idle.remove(stopped[-1])
            return stopped[-1]

    def _take(self) -> _Worker:
        with self._free:
            self._free.wait_for(lambda: bool(self._idle))
            return self._idle.pop()

    def _give(self, worker: _Worker) -> None:
        with self._free:
            self._idle.append(worker)
            self._free.notify_all()


class _Worker:
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
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
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
