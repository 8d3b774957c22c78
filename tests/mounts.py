"""Small real filesystems for fault tests: a tmpfs that fills up, a read-only bind mount.

Needs root (the tests and CI run as root here); elsewhere the tests that use it are skipped.
Every mount is undone in the fixture's clean-up, also when the test fails.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class Mounts:
    def __init__(self) -> None:
        self.mounted: list[Path] = []

    def tmpfs(self, path: Path, size_kb: int) -> Path:
        """An empty filesystem of ``size_kb`` at ``path`` (created if missing)."""
        path.mkdir(parents=True, exist_ok=True)
        self._mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(path))
        self.mounted.append(path)
        return path

    def resize(self, path: Path, size_kb: int) -> None:
        self._mount("-o", f"remount,size={size_kb}k", str(path))

    def read_only(self, path: Path) -> Path:
        """``path`` (a folder that exists) made read-only where it is."""
        self._mount("--bind", str(path), str(path))
        self.mounted.append(path)
        self._mount("-o", "remount,bind,ro", str(path))
        return path

    def writable(self, path: Path) -> None:
        self._mount("-o", "remount,bind,rw", str(path))

    def unmount_all(self) -> None:
        for path in reversed(self.mounted):
            subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)
        self.mounted.clear()

    @staticmethod
    def _mount(*args: str) -> None:
        done = subprocess.run(["mount", *args], check=False, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount here (needs root): {done.stderr.strip()}")


@pytest.fixture
def mounts() -> Iterator[Mounts]:
    made = Mounts()
    try:
        yield made
    finally:
        made.unmount_all()
