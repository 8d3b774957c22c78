"""One run at a time on a register: an exclusive lock on a file beside it.

Two runs on the same register would each see an email as new and process it twice. Commands
that process or change the register (run, poll, reprocess, meeting, case) take the lock for
their whole run and, when another run holds it, say who holds it and wait for it. The
long-running ones (serve, watch) take it for each message they handle and wait for it, so the
admin can still make a bundle while the service runs. The operating system releases the lock
when its holder exits, however it exits: a killed run leaves no stale lock behind. It is a
POSIX record lock (lockf), not flock: the processes started while it is held must not
inherit it, or it would outlive the run that took it.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pipeline.atomic import PRIVATE_FILE, ensure_private_dir
from pipeline.errors import PipelineError

log = logging.getLogger(__name__)


class RegisterBusy(PipelineError):
    """Another run holds the register."""


class RunLock:
    """The lock of the register at ``register_db``, held in the name of ``command``.

    Used as a context manager it waits for the lock (and serialises the threads of one
    process, which share the object); :meth:`acquire` with ``wait=False`` does not.
    """

    def __init__(self, register_db: Path, command: str) -> None:
        self.path = register_db.with_name(register_db.name + ".lock")
        self.command = command
        self._threads = threading.Lock()
        self._fd: int | None = None

    def acquire(self, *, wait: bool) -> None:
        ensure_private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            raise RegisterBusy(
                f"another run holds the register {self.path.with_suffix('')}: "
                f"{describe_holder(self.path)}"
            ) from None
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": self.command,
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(holder).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the lock
            self._fd = None

    def __enter__(self) -> None:
        self._threads.acquire()
        try:
            self.acquire(wait=True)
        except BaseException:
            self._threads.release()
            raise

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.release()
        self._threads.release()


def describe_holder(path: Path) -> str:
    """'pid 4242 on host01, pipeline run, since 2026-11-30T11:50:02+00:00', as far as known."""
    try:
        holder = json.loads(path.read_text("utf-8"))
        return (
            f"pid {holder['pid']} on {holder['host']}, '{holder['command']}', "
            f"since {holder['since']}"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "a run that has not said who it is yet"


@contextmanager
def holding(register_db: Path, command: str) -> Iterator[RunLock]:
    """The register's lock for a whole command; when another run holds it, says who, and
    waits for it."""
    lock = RunLock(register_db, command)
    try:
        lock.acquire(wait=False)
    except RegisterBusy as busy:
        log.warning("waiting: %s", busy)
        lock.acquire(wait=True)
    try:
        yield lock
    finally:
        lock.release()
