"""Two lower bounds beside the parsing floor (``baselines.py``), each run in a fresh process.

- ``durability``: the backlog's bytes kept as the pipeline must keep them, and nothing else.
  For each email, in order: its raw bytes and each of its attachments (the files the
  baselines read, ``workload.attachments``) written to a new file and fsynced, one small JSON
  written and fsynced, then each of the two folders fsynced once, so that everything of the
  email is durable before the next one begins. Nothing is parsed, hashed, checked or renamed;
  the bytes are read before the clock starts. The files go to a fresh folder on the same
  file system as the backlog runs' workspaces (the temporary folder).
- ``ocr``: Tesseract alone over the scanned backlog's page images. Each page of each scanned
  form is made ready before the clock starts exactly as the pipeline makes it ready
  (``ocr_image.page_images`` at the working resolution, then straightened and its rules
  erased: ``ocr._prepared``) and saved raw; then two processes (one per core,
  ``OMP_THREAD_LIMIT=1``, engines loaded before the clock starts) take the pages one at a
  time and read each once, as the pipeline's first full-page reading does
  (``tesseract.words``: page segmentation AUTO, English). No orientation check, no second
  reading of unsure words or leftover ink, no layout: any Tesseract-based reading of these
  pages takes at least this long.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from testkit.benchmarks.measure import TreeSampler, max_rss_mb

FILE_MODE = 0o600
OCR_PROCESSES = 2  # the cores of the machine the targets are for


# --- durability -------------------------------------------------------------------------


def durability(inbox: Path, attachments: Path) -> dict[str, Any]:
    """The emails of ``inbox`` and their attachments (in ``attachments``, named after the
    email) written durably, one email after the other; seconds and fsyncs."""
    emails = [
        (path.read_bytes(), [a.read_bytes() for a in sorted(attachments.glob(f"{path.stem}-*"))])
        for path in sorted(inbox.glob("*.eml"))
    ]
    with tempfile.TemporaryDirectory(prefix="bench-durable-") as scratch:
        blobs, records = Path(scratch) / "store", Path(scratch) / "outbox"
        blobs.mkdir()
        records.mkdir()
        _fsync_folder(Path(scratch))
        fsyncs = 0
        with TreeSampler() as sampler:
            start = time.perf_counter()
            for index, (raw, files) in enumerate(emails):
                fsyncs += _keep_email(index, raw, files, blobs, records)
            seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "emails": len(emails),
        "attachments": sum(len(files) for _, files in emails),
        "bytes": sum(len(raw) + sum(map(len, files)) for raw, files in emails),
        "fsyncs": fsyncs,
        "peak_rss_mb": sampler.peak.rss_mb,
        "peak_pss_mb": sampler.peak.pss_mb,
        "max_process_rss_mb": max_rss_mb(),
    }


def _keep_email(index: int, raw: bytes, files: list[bytes], blobs: Path, records: Path) -> int:
    """One email's raw bytes, attachments and JSON durable; the fsyncs it took."""
    _write_synced(blobs / f"{index:06d}.eml", raw)
    for n, data in enumerate(files):
        _write_synced(blobs / f"{index:06d}-{n}", data)
    record = {"email": index, "attachments": len(files), "status": "received"}
    _write_synced(records / f"{index:06d}.json", json.dumps(record, indent=2).encode())
    _fsync_folder(blobs)
    _fsync_folder(records)
    return len(files) + 4


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- OCR --------------------------------------------------------------------------------


def prepare_pages(scans: list[Path], folder: Path) -> int:
    """Each page of each scanned form made ready for Tesseract as the pipeline makes it
    ready, saved in ``folder`` as raw grey pixels (``<n>-<width>x<height>-<ppi>.grey``);
    done once, not timed. Returns the number of pages."""
    from pipeline.read.ocr import _prepared
    from pipeline.read.ocr_image import at_working_resolution, page_images

    done = folder / ".complete"
    if done.exists():
        return len(list(folder.glob("*.grey")))
    folder.mkdir(parents=True, exist_ok=True)
    pages = 0
    for scan in scans:
        for page in page_images(scan.read_bytes(), max_pages=100):
            ppi = page.working
            ready = _prepared(at_working_resolution(page), ppi)
            name = f"{pages:04d}-{ready.width}x{ready.height}-{ppi}.grey"
            (folder / name).write_bytes(ready.tobytes())
            pages += 1
    done.touch()
    return pages


def ocr(folder: Path, processes: int = OCR_PROCESSES) -> dict[str, Any]:
    """The pages in ``folder`` read by ``processes`` Tesseract processes side by side, each
    taking the next page as it finishes one; the wall time from the first page taken to the
    last page read."""
    pages = sorted(folder.glob("*.grey"))
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[str | None] = context.Queue()
    for page in pages:
        queue.put(str(page))
    for _ in range(processes):
        queue.put(None)
    ready, go = context.Barrier(processes + 1), context.Event()
    results: multiprocessing.Queue[tuple[int, int]] = context.Queue()
    readers = [
        context.Process(target=_reader, args=(queue, ready, go, results)) for _ in range(processes)
    ]
    for reader in readers:
        reader.start()
    ready.wait()  # every engine loaded
    with TreeSampler() as sampler:
        start = time.perf_counter()
        go.set()
        counts = [results.get() for _ in readers]
        seconds = time.perf_counter() - start
    for reader in readers:
        reader.join()
    return {
        "seconds": seconds,
        "pages": sum(n for n, _ in counts),
        "words": sum(w for _, w in counts),
        "processes": processes,
        "peak_rss_mb": sampler.peak.rss_mb,
        "peak_pss_mb": sampler.peak.pss_mb,
        "max_process_rss_mb": max_rss_mb(),
    }


def _reader(queue: Any, ready: Any, go: Any, results: Any) -> None:
    """One process: an engine loaded, then pages read until the queue says stop."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from PIL import Image

    from pipeline.read import tesseract

    tesseract.words(Image.new("L", (64, 64), 255), 300)  # the model loaded before the clock
    ready.wait()
    go.wait()
    pages = words = 0
    while (name := queue.get()) is not None:
        size, ppi = Path(name).stem.split("-")[1:]
        width, height = (int(n) for n in size.split("x"))
        image = Image.frombytes("L", (width, height), Path(name).read_bytes())
        words += len(tesseract.words(image, int(ppi)))
        pages += 1
    results.put((pages, words))
