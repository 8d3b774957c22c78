"""Throwaway folders for converting a pupil's documents (LibreOffice's input, output and
profile), in the temporary folder, private to this user.

A folder is removed when its conversion ends; a process killed meanwhile (a parsing worker,
a run stopped by SIGKILL) never removes it, and a copy of the document would lie there until
the machine was next cleaned. So each folder is named for the process that made it, and a
folder whose process is gone is removed, with any conversion still working in it: by a
worker ending itself, by the pool after a worker ends, and by the next command that opens the
register (``remove_orphans``).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.proc import end_sessions_working_in, running

PURPOSES = ("read-convert", "bundle-convert")
_PID = re.compile(r"[1-9][0-9]{0,9}", re.ASCII)  # a process number, as os.getpid() writes it


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
            if _PID.fullmatch(maker) and _ours(folder):
                yield folder, int(maker)


def _ours(folder: Path) -> bool:
    try:
        return folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid()
    except OSError:  # removed meanwhile
        return False


def _remove(folders: Iterator[Path]) -> int:
    """Remove each folder, after ending what is still working in it: a LibreOffice whose
    worker died (killed by the kernel for memory) is no longer that worker's child."""
    removed = 0
    for folder in folders:
        end_sessions_working_in(folder)
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed
