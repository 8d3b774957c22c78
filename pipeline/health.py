"""outbox/status.json: the service's health, for a monitor and for the admin.

When the service started and last polled, its last error, counts, and whether it is waiting
out refused credentials (until when). Messages are the pipeline's own one-line reasons: ids
and hosts, no personal data.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipeline.atomic import write_text_atomic
from pipeline.models import Submission

COUNTS = (
    "processed",
    "seen_before",
    "complete",
    "incomplete",
    "quarantined",
    "errors",
    "failed_attempts",
    "quarantined_after_failures",
)


class Health:
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
            "credentials": None,
        }
        self._counts = dict.fromkeys(COUNTS, 0)
        self._write()

    def handled(self, submissions: tuple[Submission, ...] | None) -> None:
        with self._lock:
            if submissions is None:
                self._counts["seen_before"] += 1
            else:
                self._counts["processed"] += 1
                for submission in submissions:
                    self._counts[submission.status.value] += 1
                    if any(f.code == "processing_failed" for f in submission.findings):
                        self._counts["quarantined_after_failures"] += 1
                        self._error(f"{submission.submission_id} quarantined: processing_failed")
            self._write()

    def failed_attempt(self, reason: str) -> None:
        """One email failed this time; it has attempts left."""
        with self._lock:
            self._counts["failed_attempts"] += 1
            self._write()

    def polled(self) -> None:
        with self._lock:
            self._status["last_successful_poll"] = _now()
            self._status["state"] = "running"
            self._status["credentials"] = None
            self._write()

    def credentials_refused(self, message: str, refusals: int, wait: float) -> None:
        with self._lock:
            self._status["state"] = "waiting: credentials refused"
            self._status["credentials"] = {
                "refused": refusals,
                "message": message,
                "next_try_at": _now(timedelta(seconds=wait)),
            }
            self._error(message)
            self._write()

    def error(self, message: str) -> None:
        with self._lock:
            self._error(message)
            self._write()

    def stopped(self) -> None:
        with self._lock:
            self._status["state"] = "stopped"
            self._write()

    def _error(self, message: str) -> None:
        self._counts["errors"] += 1
        self._status["last_error"] = {"message": message, "at": _now()}

    def _write(self) -> None:
        self._status["updated_at"] = _now()
        status = {**self._status, "counts": dict(self._counts)}
        write_text_atomic(self.path, json.dumps(status, indent=2) + "\n")


def _now(later: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + later).isoformat(timespec="seconds")
