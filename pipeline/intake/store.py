"""A content-addressed store: every blob lives under its sha256, written atomically, never renamed.

Paths come from the hash alone, never from a filename, so a hostile attachment name cannot
escape the store, and two copies of the same bytes are kept once.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipeline.atomic import ensure_private_dir, write_atomic
from pipeline.errors import StoreError

_SHA256 = re.compile(r"[0-9a-f]{64}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    """Blobs under ``root/ab/cd/<sha256>``; ``root`` and its sub-folders are private (0700)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            ensure_private_dir(root)
        except OSError as exc:
            raise StoreError(f"cannot create the store folder {root}: {exc.strerror}") from exc

    def path(self, sha: str) -> Path:
        if not _SHA256.fullmatch(sha):
            raise StoreError("not a sha256 hash (64 lower-case hex digits)")
        return self.root / sha[:2] / sha[2:4] / sha

    def has(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def put(self, data: bytes) -> str:
        """Store ``data`` durably and return its sha256; storing the same bytes again is a no-op."""
        sha = sha256_hex(data)
        target = self.path(sha)
        try:
            if target.is_file() and target.stat().st_size == len(data):
                return sha
            # mkdir(parents=True) would give the middle level default modes, so create each one.
            ensure_private_dir(target.parent.parent)
            ensure_private_dir(target.parent)
            write_atomic(target, data)
        except OSError as exc:
            raise StoreError(f"cannot write blob {sha} to the store: {exc.strerror}") from exc
        return sha

    def read(self, sha: str) -> bytes:
        """The bytes stored under ``sha``, checked against it."""
        try:
            data = self.path(sha).read_bytes()
        except FileNotFoundError:
            raise StoreError(f"blob {sha} is missing from the store") from None
        except OSError as exc:
            raise StoreError(f"cannot read blob {sha} from the store: {exc.strerror}") from exc
        if sha256_hex(data) != sha:
            raise StoreError(f"blob {sha} is corrupt: its content no longer matches its hash")
        return data

    def remove(self, sha: str) -> bool:
        """Delete a blob (the retention policy); True if it was there."""
        try:
            self.path(sha).unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(f"cannot delete blob {sha} from the store: {exc.strerror}") from exc
        return True
