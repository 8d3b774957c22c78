"""Parse each document in a worker process with a size, time and memory limit.

A poisoned file (a zip bomb, a PDF that makes a parser loop, an XML that expands forever)
then costs a finding, not the run: the worker is killed and replaced, and the document is
reported unreadable with the reason. A file over the cluster's size limit is kept in the
store but never parsed.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Intake
from pipeline.models import ReadDocument
from pipeline.read import Unreadable, read_document, refuse_unopenable
from pipeline.read.active_content import ActiveContent, check_program
from pipeline.read.legacy_macros import check_legacy_macros
from pipeline.read.zipguard import ZipBomb, check_zip

log = logging.getLogger(__name__)
MB = 1024 * 1024
CONVERT_SHARE = 0.8  # of the time allowed: LibreOffice is stopped before the worker would be
NEAR_LIMIT = 0.9  # a failure after using 90% of the memory allowed is the limit biting


class ParserPool:
    """One worker process, started on first use and replaced when a document kills it.

    The pool belongs to the context that opened it (``runner.open_context``), which closes it;
    workers are costly to start, so a context's stages share its pool.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.timeout = limits.timeout
        self.memory_mb = limits.memory_mb
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def read(self, data: bytes | Path, filename: str, sha256: str) -> ReadDocument | None:
        """Like read_document, but in the worker; raises Unreadable for a hostile file.

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
        with self._lock:
            future = self._submit(data, filename, sha256)
            try:
                return future.result(timeout=self.timeout)
            except OverLimit:
                self._replace_worker()
                log.warning("document %s exceeded the parser's memory limit", sha256[:12])
                raise
            except FutureTimeout:
                self._replace_worker()
                log.warning("document %s took over %ss to parse", sha256[:12], self.timeout)
                raise Unreadable(
                    f"the file took more than {self.timeout:g} seconds to open and was stopped; "
                    "it may be damaged or far too large"
                ) from None
            except (BrokenProcessPool, MemoryError):
                self._replace_worker()
                log.warning("document %s stopped the parser's worker", sha256[:12])
                raise OverLimit(_over_memory(self.memory_mb)) from None

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
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=_worker_context(),
                initializer=_limit_memory,
                initargs=(self.memory_mb,),
            )
        try:
            return self._executor.submit(guarded_read, data, filename, sha256, self.limits)
        except BrokenProcessPool:
            self._replace_worker()
            return self._submit(data, filename, sha256)

    def _replace_worker(self) -> None:
        self.close()


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
    context.set_forkserver_preload(["pipeline.sandbox"])
    return context


_FORK_SERVER_OWNER: int | None = None  # the process whose fork server makes the workers


class OverLimit(Unreadable):
    """The worker ran out of memory: the document is unreadable and the worker is replaced."""


@dataclass(frozen=True)
class Limits:
    timeout: float
    memory_mb: int
    max_unzipped_mb: float
    max_zip_ratio: float
    max_attachment_mb: float = float("inf")

    @classmethod
    def of(cls, intake: Intake) -> Limits:
        return cls(
            timeout=intake.parse_timeout_seconds,
            memory_mb=intake.parse_memory_mb,
            max_unzipped_mb=intake.max_unzipped_mb,
            max_zip_ratio=intake.max_zip_ratio,
            max_attachment_mb=intake.max_attachment_mb,
        )


def guarded_read(
    source: bytes | Path, filename: str, sha256: str, limits: Limits
) -> ReadDocument | None:
    """Runs in the worker: refuse programs, macros and zip bombs, then read; running out of
    memory says so."""
    peak_before = _status_mb("VmPeak")
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        check_program(data)
        check_legacy_macros(data)
        refuse_unopenable(data, filename)  # an archive is refused before its members are read
        check_zip(data, max_unzipped_mb=limits.max_unzipped_mb, max_ratio=limits.max_zip_ratio)
        return read_document(data, filename, sha256, convert_timeout=limits.timeout * CONVERT_SHARE)
    except ZipBomb as reason:
        raise Unreadable(str(reason)) from None
    except ActiveContent:
        raise
    except MemoryError:
        raise OverLimit(_over_memory(limits.memory_mb)) from None
    except Unreadable as reason:
        # read_document reports any parser failure as damage. One that came as this read
        # pushed the worker's address space to its limit is the limit, not damage: C parsers
        # report a failed malloc in their own words (lxml: XMLSyntaxError "unknown error").
        peak = _status_mb("VmPeak")
        if isinstance(reason.__context__, MemoryError) or (
            peak > peak_before and peak >= _CEILING_MB - (1 - NEAR_LIMIT) * limits.memory_mb
        ):
            raise OverLimit(_over_memory(limits.memory_mb)) from None
        raise


def _status_mb(field: str) -> int:
    """This process's VmSize (address space) or VmPeak (its peak), in MB; 0 without /proc."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return 0


def _over_memory(memory_mb: int) -> str:
    return (
        f"the file needs more than {memory_mb} MB of memory to open and was stopped; "
        "it may be damaged or far too large"
    )


def _limit_memory(memory_mb: int) -> None:
    """Let the worker map ``memory_mb`` more than it started with.

    The worker starts with the fork server's address space (the readers' libraries, already
    imported); a fixed ceiling would have to guess their size. The ceiling is kept so that a
    read can tell it was reached.
    """
    global _CEILING_MB
    _CEILING_MB = _status_mb("VmSize") + memory_mb
    limit = _CEILING_MB * MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


_CEILING_MB = 0  # set in each worker by _limit_memory
