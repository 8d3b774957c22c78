"""What runs in a parsing worker: refuse programs, macros and zip bombs, read the document,
and tell the memory limit biting from a damaged file.

The limits themselves (``Limits``) travel with every document; the worker's address-space
ceiling is set once, when the worker starts (``start_worker``), and so is its watch on the
process that owns it.
"""

from __future__ import annotations

import ctypes
import os
import resource
import select
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Intake
from pipeline.models import ReadDocument
from pipeline.proc import running
from pipeline.read import Unreadable, read_document, refuse_unopenable
from pipeline.read.active_content import ActiveContent, check_program
from pipeline.read.legacy_macros import check_legacy_macros
from pipeline.read.zipguard import ZipBomb, check_zip
from pipeline.scratch import remove_folders_of

MB = 1024 * 1024
CONVERT_SHARE = 0.8  # of the time allowed: LibreOffice is stopped before the worker would be
NEAR_LIMIT = 0.9  # a failure after using 90% of the memory allowed is the limit biting
OWNER_LOOKS_SECONDS = 1.0  # where the owner cannot be waited on, how often it is looked for


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
        raise OverLimit(over_memory(limits.memory_mb)) from None
    except Unreadable as reason:
        # read_document reports any parser failure as damage. One that came as this read
        # pushed the worker's address space to its limit is the limit, not damage: C parsers
        # report a failed malloc in their own words (lxml: XMLSyntaxError "unknown error").
        peak = _status_mb("VmPeak")
        if isinstance(reason.__context__, MemoryError) or (
            peak > peak_before and peak >= _CEILING_MB - (1 - NEAR_LIMIT) * limits.memory_mb
        ):
            raise OverLimit(over_memory(limits.memory_mb)) from None
        raise
    finally:
        _give_back_memory()


def _give_back_memory() -> None:
    """Return the memory the document's reading freed to the system (glibc keeps it for
    the process otherwise), so idle workers side by side hold only what they share."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _status_mb(field: str) -> int:
    """This process's VmSize (address space) or VmPeak (its peak), in MB; 0 without /proc."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError):
        pass
    return 0


def over_memory(memory_mb: int) -> str:
    return (
        f"the file needs more than {memory_mb} MB of memory to open and was stopped; "
        "it may be damaged or far too large"
    )


def start_worker(memory_mb: int, owner: int) -> None:
    """A worker's start: it ends when ``owner``, the process whose pool it belongs to, ends;
    then its memory ceiling is set.

    An owner stopped by SIGTERM or killed never closes its pool, and a worker waiting for its
    next document never hears of it (it holds its own end of the pipe it waits on): it and
    the fork server it keeps alive would run, holding memory, for ever.
    """
    _end_with(owner)
    limit_memory(memory_mb)


def _end_with(owner: int) -> None:
    try:
        handle = os.pidfd_open(owner)
    except ProcessLookupError:  # it ended before this worker started
        os._exit(1)
    except (AttributeError, OSError):  # no process descriptors (before Linux 5.3): looked for
        watch = threading.Thread(target=_exit_when_gone, args=(owner,), daemon=True)
    else:
        watch = threading.Thread(target=_exit_when_readable, args=(handle,), daemon=True)
    watch.start()


def _exit_when_readable(handle: int) -> None:
    select.select([handle], [], [])  # a process's descriptor turns readable when it ends
    _exit()


def _exit_when_gone(owner: int) -> None:
    while True:
        time.sleep(OWNER_LOOKS_SECONDS)
        if not running(owner):
            _exit()


def _exit() -> None:
    """End the worker, with the LibreOffice it may be waiting on (which would outlive it) and
    the copy of the document it gave it."""
    remove_folders_of(os.getpid())
    os._exit(1)


def limit_memory(memory_mb: int) -> None:
    """Let the worker map ``memory_mb`` more than it started with.

    The worker starts with the fork server's address space (the readers' libraries, already
    imported); a fixed ceiling would have to guess their size. The ceiling is kept so that a
    read can tell it was reached.
    """
    global _CEILING_MB
    _CEILING_MB = _status_mb("VmSize") + memory_mb
    limit = _CEILING_MB * MB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


_CEILING_MB = 0  # set in each worker by limit_memory


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _libc()
