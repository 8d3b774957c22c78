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

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pipeline.config import Intake
from pipeline.models import ReadDocument
from pipeline.read import Unreadable
from pipeline.sandbox_process import Worker, WorkerUnavailable
from pipeline.sandbox_worker import Limits, OverLimit, guarded_read

__all__ = ["Limits", "OverLimit", "ParserPool", "WorkerUnavailable", "guarded_read"]

MB = 1024 * 1024


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
        self._idle = [Worker(limits) for _ in range(self.workers)]  # a stack: last used on top
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
        tried: list[Worker] = []  # once each: one that cannot start is left to its next read
        while (worker := self._take_stopped(tried)) is not None:
            tried.append(worker)
            try:
                worker.start()
            finally:
                self._give(worker)

    def _take_stopped(self, tried: list[Worker]) -> Worker | None:
        """A free worker not running, taken like ``_take``; None ends the warming thread."""
        with self._free:
            stopped = [w for w in self._idle if not (w.running or w in tried)]
            if not (stopped and self._keep_warm):
                self._warming = None
                self._free.notify_all()
                return None
            self._idle.remove(stopped[-1])
            return stopped[-1]

    def _take(self) -> Worker:
        with self._free:
            self._free.wait_for(lambda: bool(self._idle))
            return self._idle.pop()

    def _give(self, worker: Worker) -> None:
        with self._free:
            self._idle.append(worker)
            self._free.notify_all()
