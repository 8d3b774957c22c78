"""Atomic, durable file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def ensure_private_dir(path: Path) -> Path:
    """Create a folder, and any missing parents, readable by the service account only.

    Folders that already exist are left as they are: they may be the council's. Each new
    folder's parent is fsynced, so a file fsynced inside it survives a power cut with it.
    """
    if path.is_dir():  # the usual case, one look instead of one per parent
        return path
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        fsync_dir(folder.parent)
    return path


def write_atomic(path: Path, data: bytes, *, sync_folder: bool = True) -> None:
    """Write a temporary file beside ``path``, fsync it, rename it over ``path``, fsync the dir
    (unless ``sync_folder`` is False: the caller fsyncs the folder once for several files)."""
    with atomic_file(path, sync_folder=sync_folder) as handle:
        handle.write(data)


def write_text_atomic(path: Path, text: str, *, sync_folder: bool = True) -> None:
    write_atomic(path, text.encode("utf-8"), sync_folder=sync_folder)


def write_chunks_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Like write_text_atomic, for text made a piece at a time and never held whole."""
    with atomic_file(path) as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8"))


@contextlib.contextmanager
def atomic_file(path: Path, *, sync_folder: bool = True) -> Iterator[BinaryIO]:
    """A file to write that replaces ``path`` (fsynced, private) only if the block completes;
    its folder is fsynced after the rename unless ``sync_folder`` is False (the rename is
    durable only once the caller has fsynced the folder)."""
    ensure_private_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(PRIVATE_FILE)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    if sync_folder:
        fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
