"""Service mode: poll the mailbox and watch the drop folder together, until told to stop.

The mailbox is polled on the calling thread (right away, then every ``mailbox.poll_seconds``)
and the drop folder is watched on a second thread with its own register connection: an SQLite
connection belongs to the thread that opened it. One lock (the register's, run_lock.py) makes
sure only one message is processed at a time, in this process and any other. ``stop`` is
looked at only between messages, so a message being processed is finished, and moved, before
the service exits. Health goes to ``outbox/status.json``.

An email that fails is counted and passed over (after ``intake.max_attempts`` failures it is
quarantined), so it never blocks the mail behind it. Refused credentials are tried again after
waits that double from one minute up to thirty, said in the log and in status.json: a password
being changed or a token service having a bad minute must not stop the service, and a mailbox
asked every poll with a wrong password may lock the account. Only a configuration error (a
credential not given at all included) stops the service.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.config import Config, MailboxKind
from pipeline.context import Context
from pipeline.credentials import CredentialRefused, MissingCredential
from pipeline.drafts import retry_drafts
from pipeline.errors import ConfigError, PipelineError
from pipeline.flow import ready_for_mail
from pipeline.flow.readahead import ReadAhead
from pipeline.health import Health
from pipeline.models import Incoming
from pipeline.poison import MessageFailed
from pipeline.reports.parts import ReportCache
from pipeline.reports.publish import publish_leftovers
from pipeline.run_lock import RunLock
from pipeline.runner import handle_safely, open_context, write_reports
from pipeline.sources.base import Source
from pipeline.sources.factory import open_mailbox
from pipeline.sources.folder import FolderSource
from pipeline.sources.watch import watch

log = logging.getLogger(__name__)
STATUS_NAME = "status.json"


@dataclass(frozen=True)
class CredentialBackoff:
    """The waits after refused credentials: ``first`` seconds, doubling up to ``longest``."""

    first: float = 60.0
    longest: float = 1800.0

    def wait(self, refusals: int) -> float:
        """The wait after the ``refusals``-th refusal in a row (1, 2, 3 ...)."""
        return float(min(self.first * 2 ** (refusals - 1), self.longest))


def serve(
    ctx: Context,
    stop: threading.Event,
    backoff: CredentialBackoff = CredentialBackoff(),
    lock: RunLock | None = None,
) -> None:
    """Run until ``stop`` is set; a configuration problem stops it and is raised.

    ``lock`` (the register's) is held for each message, by one thread at a time."""
    config = ctx.config
    health = Health(config.paths.outbox / STATUS_NAME, config.mailbox.kind.value)
    lock = lock or RunLock(config.paths.register_db, "pipeline serve")
    failures: list[PipelineError] = []
    watcher = threading.Thread(
        target=_fatal_stops(_watch_folder, stop, failures, health),
        args=(ctx, stop, lock, health),
        name="drop-folder",
    )
    log.info("service started: mailbox %s, drop folder watched", config.mailbox.kind.value)
    watcher.start()
    desk = _start_desk(config, stop)
    try:
        if config.mailbox.kind is MailboxKind.none:
            while not stop.wait(0.5):
                pass
        else:
            polling = _fatal_stops(_poll_mailbox, stop, failures, health)
            polling(ctx, stop, lock, health, backoff)
    finally:
        stop.set()
        watcher.join()
        if desk is not None:
            desk.join()
        health.stopped()
        log.info("service stopped")
    if failures:
        raise failures[0]


def _start_desk(config: Config, stop: threading.Event) -> threading.Thread | None:
    """The admin's desk on a thread of its own, when the configuration asks for it."""
    if not config.desk.in_serve:
        return None
    from pipeline.desk.server import desk_thread

    return desk_thread(config, stop)


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


def _poll_mailbox(
    ctx: Context,
    stop: threading.Event,
    lock: RunLock,
    health: Health,
    backoff: CredentialBackoff,
) -> None:
    source = open_mailbox(ctx.config, ctx.register)
    if source is None:  # the caller checked the kind
        raise ConfigError("no mailbox is configured")
    refusals = 0
    try:
        while not stop.is_set():
            wait = ctx.config.mailbox.poll_seconds
            try:
                poll_once(source, ctx, stop, lock, health)
                refusals = 0
            except CredentialRefused as exc:
                refusals += 1
                wait = backoff.wait(refusals)
                log.error(
                    "%s (refused %d time(s) in a row); trying again in %s",
                    exc,
                    refusals,
                    _duration(wait),
                )
                health.credentials_refused(str(exc), refusals, wait)
                source.close()
            stop.wait(wait)
    finally:
        source.close()


def _duration(seconds: float) -> str:
    return f"{seconds / 60:g} minute(s)" if seconds >= 60 else f"{seconds:g} s"


def poll_once(
    source: Source, ctx: Context, stop: threading.Event, lock: RunLock, health: Health
) -> None:
    """Handle what the mailbox has waiting; a failed poll is recorded and retried next time.

    A refused credential is raised for the caller to wait it out."""
    processed = 0
    try:
        with lock:
            publish_leftovers(ctx)
            retry_drafts(source, ctx)
        with ReadAhead(source.pending(), ctx, hold=lambda: lock) as emails:
            for incoming, early in emails:
                try:
                    with lock:
                        submissions = handle_safely(incoming, source, ctx, early)
                except MessageFailed as exc:
                    health.failed_attempt(str(exc))
                    continue
                health.handled(submissions)
                processed += submissions is not None
                if stop.is_set():
                    break
        health.polled()
    except CredentialRefused:
        raise
    except (ConfigError, MissingCredential):
        raise  # a person must mend the configuration
    except PipelineError as exc:
        log.error("poll failed: %s", exc)
        health.error(str(exc))
    except Exception as exc:
        log.error("poll failed: unexpected %s", type(exc).__name__)
        health.error(f"unexpected {type(exc).__name__}")
    if processed:
        with lock:
            write_reports(ctx)


def _watch_folder(served: Context, stop: threading.Event, lock: RunLock, health: Health) -> None:
    """Its own register connection (SQLite's belong to their thread); the same parser worker."""
    config = served.config
    with open_context(config, parsers=served.parsers, lock=lock) as ctx:
        source = FolderSource(config.paths.inbox, config.intake)
        cache: ReportCache = {}
        ready_for_mail(ctx)  # before the first arrival, and again after each
        with lock:
            publish_leftovers(ctx)

        def on_arrival(incoming: Incoming) -> None:
            try:
                with lock:
                    submissions = handle_safely(incoming, source, ctx)
                    if submissions is not None:
                        write_reports(ctx, cache)
            except MessageFailed as exc:
                health.failed_attempt(str(exc))
                return
            except Exception as exc:
                health.error(str(exc) if isinstance(exc, PipelineError) else type(exc).__name__)
                raise  # the watcher logs it and goes on
            finally:
                ready_for_mail(ctx)
            health.handled(submissions)

        watch(config.paths.inbox, config.intake, on_arrival, stop)
