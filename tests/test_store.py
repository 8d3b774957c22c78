"""The content-addressed store: blobs under their hash, atomic, idempotent, verified on read."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from pipeline import atomic
from pipeline.errors import StoreError
from pipeline.intake.store import BlobStore


def test_put_returns_the_sha256_and_the_file_holds_exactly_those_bytes(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")
    data = b"Individual Pupil Need Referral Form"

    sha = store.put(data)

    assert sha == hashlib.sha256(data).hexdigest()
    assert store.path(sha) == tmp_path / "store" / sha[:2] / sha[2:4] / sha
    assert hashlib.sha256(store.path(sha).read_bytes()).hexdigest() == sha
    assert store.read(sha) == data


def test_put_of_the_same_bytes_again_does_not_rewrite_the_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")
    sha = store.put(b"same bytes")
    first = store.path(sha).stat()

    assert store.put(b"same bytes") == sha

    again = store.path(sha).stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert [p.name for p in (tmp_path / "store").rglob("*") if p.is_file()] == [sha]


def test_a_truncated_blob_is_rewritten_by_put(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")
    sha = store.put(b"complete content")
    store.path(sha).write_bytes(b"compl")

    store.put(b"complete content")

    assert store.read(sha) == b"complete content"


def test_store_folders_and_blobs_are_private(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")
    sha = store.put(b"personal data")

    path = store.path(sha)
    for folder in (tmp_path / "store", path.parent.parent, path.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_path_comes_from_a_hash_only_never_from_a_filename(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")

    for name in ("../../x.docx", "Referral - Zoë.docx", "ab" * 40, "A" * 64):
        with pytest.raises(StoreError):
            store.path(name)


def test_has_tells_stored_from_unknown_hashes(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")
    sha = store.put(b"x")

    assert store.has(sha)
    assert not store.has(hashlib.sha256(b"y").hexdigest())


def test_read_of_a_missing_blob_raises_store_error_naming_the_hash(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")
    sha = hashlib.sha256(b"never stored").hexdigest()

    with pytest.raises(StoreError, match=sha):
        store.read(sha)


def test_read_of_a_corrupted_blob_raises_store_error(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")
    sha = store.put(b"original")
    store.path(sha).write_bytes(b"tampered")

    with pytest.raises(StoreError, match="corrupt"):
        store.read(sha)


def test_a_disk_error_on_put_becomes_store_error(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "store")
    sha = hashlib.sha256(b"data").hexdigest()
    # A file where the shard folder should be: the write fails as a full or broken disk would.
    (tmp_path / "store" / sha[:2]).write_bytes(b"")

    with pytest.raises(StoreError, match=sha):
        store.put(b"data")


def test_a_new_store_folder_is_fsynced_into_its_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[Path] = []
    real = atomic.fsync_dir
    monkeypatch.setattr(atomic, "fsync_dir", lambda path: (synced.append(path), real(path)))
    sha = BlobStore(tmp_path / "store").put(b"referral form")
    blob = BlobStore(tmp_path / "store").path(sha)
    for folder in (tmp_path / "store", blob.parent.parent, blob.parent):
        assert folder.parent in synced, f"{folder.name}/ was created but its parent not fsynced"
