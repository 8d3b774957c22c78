"""Watch the drop folder: hand each file over once it has stopped changing, one at a time.

A file is handled when its writer has closed it (inotify's close-after-write) or it has been
renamed into the folder, the two ways copy tools finish a file; failing either signal (an
observer without close events, a network share), when its size and modification time have
stayed the same for ``intake.settle_seconds``. So a document still being copied in is never
read half-written, and one that is complete is not kept waiting. File names are not logged:
schools name files after pupils.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler, FileSystemMovedEvent
from watchdog.observers import Observer

from pipeline.config import Intake
from pipeline.errors import SourceError
from pipeline.models import Incoming
from pipeline.sources.folder import FolderSource, is_ignored

log = logging.getLogger(__name__)

_Signature = tuple[int, int]  # size, mtime in nanoseconds
_Event = tuple[str, bool]  # a name, and whether its writer is done with it (closed or renamed in)
_FINISHING = ("closed", "moved")


def watch(
    folder: Path,
    intake: Intake,
    handle: Callable[[Incoming], None],
    stop: threading.Event,
    poll_interval: float = 0.2,
) -> None:
    """Handle what is waiting, then every file that arrives or changes, until ``stop`` is set.

    ``handle`` is called from this thread only, one file at a time; its exceptions are
    logged and the watch goes on.
    """
    if not folder.is_dir():
        raise SourceError(f"the drop folder {folder} does not exist")
    events: queue.Queue[_Event] = queue.Queue()
    observer = Observer()
    observer.schedule(_Events(folder, events), str(folder), recursive=False)
    observer.start()  # before the first listing, so nothing arriving meanwhile is missed
    try:
        _Worker(FolderSource(folder, intake), handle, events).run(stop, poll_interval)
    finally:
        observer.stop()
        observer.join()


class _Events(FileSystemEventHandler):
    """Runs on the observer's thread: only queues names for the worker."""

    def __init__(self, folder: Path, names: queue.Queue[_Event]) -> None:
        self.folder = folder.resolve()
        self.names = names

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in ("created", "modified", *_FINISHING):
            return
        raw = event.dest_path if isinstance(event, FileSystemMovedEvent) else event.src_path
        path = Path(os.fsdecode(raw))
        if path.parent.resolve() == self.folder:
            self.names.put((path.name, event.event_type in _FINISHING))


class _Worker:
    def __init__(
        self,
        source: FolderSource,
        handle: Callable[[Incoming], None],
        events: queue.Queue[_Event],
    ) -> None:
        self.source = source
        self.handle = handle
        self.events = events
        self.settle = source.intake.settle_seconds
        self.waiting: dict[str, tuple[_Signature | None, float]] = {}
        self.handled: dict[str, str] = {}  # name -> sha256 of the bytes last handed over

    def run(self, stop: threading.Event, poll_interval: float) -> None:
        for name in self.source.names():  # what was waiting before the watch began
            self.waiting[name] = (None, 0.0)
        while not stop.is_set():
            self._drain(poll_interval)
            for name in self._settled():
                if stop.is_set():
                    return
                self._deliver(name)

    def _drain(self, wait: float) -> None:
        """Take the queued events, waiting up to ``wait`` seconds for the first."""
        try:
            self._note(*self.events.get(timeout=wait))
            while True:
                self._note(*self.events.get_nowait())
        except queue.Empty:
            return

    def _note(self, name: str, finished: bool) -> None:
        if is_ignored(name, self.source.intake.ignore_patterns):
            return
        current = self._signature(name) if finished else None
        if current is not None and current[0] > 0:
            # Closed after writing, or renamed in: settled as of now. An empty file is not
            # trusted (some tools create it, close it and then write it again).
            self.waiting[name] = (current, time.monotonic() - self.settle)
        else:
            self.waiting.setdefault(name, (None, 0.0))

    def _settled(self) -> list[str]:
        """Names unchanged for settle_seconds; a file that is gone or not a file is dropped."""
        now = time.monotonic()
        ready = []
        for name, (before, since) in list(self.waiting.items()):
            current = self._signature(name)
            if current is None:
                del self.waiting[name]
            elif current != before:
                self.waiting[name] = (current, now)
            elif now - since >= self.settle:
                ready.append(name)
        return sorted(ready)

    def _signature(self, name: str) -> _Signature | None:
        try:
            info = os.lstat(self.source.folder / name)
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None

    def _deliver(self, name: str) -> None:
        settled = self.waiting.pop(name)[0]
        incoming = self.source.read(name)
        if incoming is None:
            return
        if self._signature(name) != settled:  # changed while being read: wait for it again
            self.waiting[name] = (None, 0.0)
            return
        sha = hashlib.sha256(incoming.data).hexdigest()
        if self.handled.get(name) == sha:  # touched, or reported twice, but the same bytes
            return
        # Recorded before handling: a file whose handling fails is retried when it changes
        # (or on the next run), not on every poll.
        self.handled[name] = sha
        try:
            self.handle(incoming)
        except Exception as exc:
            log.error("handling dropped file %s failed: %s", sha[:12], type(exc).__name__)
