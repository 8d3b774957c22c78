"""Service mode: poll the mailbox and watch the drop folder together, until told to stop.

The mailbox is polled on the calling thread (right away, then every ``mailbox.poll_seconds``)
and the drop folder is watched on a second thread with its own register connection: an SQLite
connection belongs to the thread that opened it. One lock (the register's, run_lock.py) makes
sure only one message is processed at a time, in this process and any other. ``stop`` is
looked at only between messages, so a message being processed is finished, and moved, before
the service exits. Health goes to ``outbox/status.json``.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pipeline.atomic import write_text_atomic
from pipeline.config import Config, MailboxKind
from pipeline.context import Context
from pipeline.credentials import CredentialError
from pipeline.errors import ConfigError, PipelineError
from pipeline.models import Incoming, Submission
from pipeline.run_lock import RunLock
from pipeline.runner import handle, open_context, write_reports
from pipeline.sources.base import Source
from pipeline.sources.factory import open_mailbox
from pipeline.sources.folder import FolderSource
from pipeline.sources.watch import watch

log = logging.getLogger(__name__)
STATUS_NAME = "status.json"


def serve(ctx: Context, stop: threading.Event, lock: RunLock | None = None) -> None:
    """Run until ``stop`` is set; a configuration or credential problem stops it and is raised.

    ``lock`` (the register's) is held for each message, by one thread at a time."""
    config = ctx.config
    health = Health(config.paths.outbox / STATUS_NAME, config.mailbox.kind.value)
    lock = lock or RunLock(config.paths.register_db, "pipeline serve")
    failures: list[PipelineError] = []
    watcher = threading.Thread(
        target=_fatal_stops(_watch_folder, stop, failures, health),
        args=(config, stop, lock, health),
        name="drop-folder",
    )
    log.info("service started: mailbox %s, drop folder watched", config.mailbox.kind.value)
    watcher.start()
    try:
        if config.mailbox.kind is MailboxKind.none:
            while not stop.wait(0.5):
                pass
        else:
            _fatal_stops(_poll_mailbox, stop, failures, health)(ctx, stop, lock, health)
    finally:
        stop.set()
        watcher.join()
        health.stopped()
        log.info("service stopped")
    if failures:
        raise failures[0]


def _fatal_stops(
    work: Callable[..., None], stop: threading.Event, failures: list[PipelineError], health: Health
) -> Callable[..., None]:
    """``work``, where an error no retry can mend stops the whole service."""

    def run(*args: object) -> None:
        try:
            work(*args)
        except PipelineError as exc:
            log.error("service stopping: %s", exc)
            health.error(str(exc))
            failures.append(exc)
            stop.set()
        except Exception as exc:
            log.error("service stopping: unexpected %s", type(exc).__name__)
            health.error(f"unexpected {type(exc).__name__}")
            failures.append(PipelineError(f"unexpected {type(exc).__name__}"))
            stop.set()

    return run


def _poll_mailbox(ctx: Context, stop: threading.Event, lock: RunLock, health: Health) -> None:
    source = open_mailbox(ctx.config, ctx.register)
    if source is None:  # the caller checked the kind
        raise ConfigError("no mailbox is configured")
    try:
        while not stop.is_set():
            poll_once(source, ctx, stop, lock, health)
            stop.wait(ctx.config.mailbox.poll_seconds)
    finally:
        source.close()


def poll_once(
    source: Source, ctx: Context, stop: threading.Event, lock: RunLock, health: Health
) -> None:
    """Handle what the mailbox has waiting; a failed poll is recorded and retried next time."""
    processed = 0
    try:
        for incoming in source.pending():
            with lock:
                submissions = handle(incoming, source, ctx)
            health.handled(submissions)
            processed += submissions is not None
            if stop.is_set():
                break
        health.polled()
    except CredentialError:
        raise  # retrying a refused login every poll could lock the mailbox account
    except PipelineError as exc:
        log.error("poll failed: %s", exc)
        health.error(str(exc))
    except Exception as exc:
        log.error("poll failed: unexpected %s", type(exc).__name__)
        health.error(f"unexpected {type(exc).__name__}")
    if processed:
        with lock:
            write_reports(ctx)


def _watch_folder(config: Config, stop: threading.Event, lock: RunLock, health: Health) -> None:
    with open_context(config, lock) as ctx:
        source = FolderSource(config.paths.inbox, config.intake)

        def on_arrival(incoming: Incoming) -> None:
            try:
                with lock:
                    submissions = handle(incoming, source, ctx)
                    if submissions is not None:
                        write_reports(ctx)
            except Exception as exc:
                health.error(str(exc) if isinstance(exc, PipelineError) else type(exc).__name__)
                raise  # the watcher logs it and goes on
            health.handled(submissions)

        watch(config.paths.inbox, config.intake, on_arrival, stop)


class Health:
    """outbox/status.json: when the service started and last polled, its last error, counts.

    Error messages are the pipeline's own one-line reasons: ids and hosts, no personal data.
    """

    def __init__(self, path: Path, mailbox: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._status: dict[str, object] = {
            "state": "running",
            "pid": os.getpid(),
            "mailbox": mailbox,
            "started_at": _now(),
            "updated_at": _now(),
            "last_successful_poll": None,
            "last_error": None,
        }
        self._counts = dict.fromkeys(
            ("processed", "seen_before", "complete", "incomplete", "quarantined", "errors"), 0
        )
        self._write()

    def handled(self, submissions: tuple[Submission, ...] | None) -> None:
        with self._lock:
            if submissions is None:
                self._counts["seen_before"] += 1
            else:
                self._counts["processed"] += 1
                for submission in submissions:
                    self._counts[submission.status.value] += 1
            self._write()

    def polled(self) -> None:
        with self._lock:
            self._status["last_successful_poll"] = _now()
            self._write()

    def error(self, message: str) -> None:
        with self._lock:
            self._counts["errors"] += 1
            self._status["last_error"] = {"message": message, "at": _now()}
            self._write()

    def stopped(self) -> None:
        with self._lock:
            self._status["state"] = "stopped"
            self._write()

    def _write(self) -> None:
        self._status["updated_at"] = _now()
        status = {**self._status, "counts": dict(self._counts)}
        write_text_atomic(self.path, json.dumps(status, indent=2) + "\n")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
