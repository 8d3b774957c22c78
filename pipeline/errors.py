"""Errors of the environment (not of documents): each carries the exit code the CLI returns."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class PipelineError(Exception):
    exit_code = 1


class ConfigError(PipelineError):
    exit_code = 2


class StoreError(PipelineError):
    exit_code = 3


class RegisterError(PipelineError):
    exit_code = 4


class SourceError(PipelineError):
    exit_code = 5


# A full or read-only disk, a quota or a file-size limit: no email is to blame, and every
# email after it would fail the same way.
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})
_SQLITE_DISK = ("database or disk is full", "readonly database", "disk I/O error")


def disk_error(exc: BaseException) -> StoreError | None:
    """The one-line StoreError (exit 3) to stop with, if ``exc`` is a full or read-only disk."""
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
        where = f" in {Path(exc.filename).parent}" if exc.filename else ""
        return StoreError(f"cannot write{where}: {exc.strerror}")
    if isinstance(exc, sqlite3.OperationalError) and any(s in str(exc) for s in _SQLITE_DISK):
        return StoreError(f"cannot write the register: {exc}")
    return None
