"""Throwaway folders for converting a pupil's documents (LibreOffice's input, output and
profile), in the temporary folder, private to this user.

A folder is removed when its conversion ends; a process killed meanwhile (a parsing worker,
a run stopped by SIGKILL) never removes it, and a copy of the document would lie there until
the machine was next cleaned. So each folder is named for the process that made it, and a
folder whose process is gone is removed: by a worker ending itself, by the pool after it
kills a worker, and by the next command that opens the register (``remove_orphans``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.proc import running

PURPOSES = ("read-convert", "bundle-convert")


@contextmanager
def scratch_folder(purpose: str) -> Iterator[Path]:
    """A new private folder for ``purpose`` (one of PURPOSES), removed with all in it after."""
    with tempfile.TemporaryDirectory(prefix=f"{purpose}-{os.getpid()}-") as work:
        yield Path(work)


def remove_folders_of(pid: int, root: Path | None = None) -> int:
    """Remove the scratch folders process ``pid`` made; how many."""
    return _remove(folder for folder, maker in _scratch(root) if maker == pid)


def remove_orphans(root: Path | None = None) -> int:
    """Remove the scratch folders of processes no longer running; how many."""
    return _remove(folder for folder, maker in _scratch(root) if not running(maker))


def _scratch(root: Path | None) -> Iterator[tuple[Path, int]]:
    """This user's scratch folders, each with the process that made it."""
    folder_root = root or Path(tempfile.gettempdir())
    for purpose in PURPOSES:
        for folder in folder_root.glob(f"{purpose}-*-*"):
            maker = folder.name.removeprefix(f"{purpose}-").partition("-")[0]
            if maker.isdigit() and _ours(folder):
                yield folder, int(maker)


def _ours(folder: Path) -> bool:
    try:
        return folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid()
    except OSError:  # removed meanwhile
        return False


def _remove(folders: Iterator[Path]) -> int:
    removed = 0
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
