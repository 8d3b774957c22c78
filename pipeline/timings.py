"""How long each stage of a run took, measured by the run itself (``pipeline run --timings``,
and the benchmarks' per-stage table), so the next slowdown is found by reading it.

Stages nest (the register's look-ups happen inside assessing a case, parsing inside reading
an attachment): the clock gives each moment to the innermost stage running, so the stages
never add up to more than the run's wall time. OCR happens in the parsing worker, which says
how long it took (``ReadDocument.ocr_seconds``); that much of the wait for the worker is
counted as OCR rather than parsing. What no stage covers (listing the inbox, reading and
moving its files) is ``other``. Only seconds and counts: nothing about any email.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pipeline.models import ReadDocument

Stage = Literal["store", "parse", "ocr", "rules", "register", "reports"]
STAGES: tuple[Stage, ...] = ("store", "parse", "ocr", "rules", "register", "reports")
LABEL = {"ocr": "OCR"}
MEANING = {
    "store": "storing each email and its attachments (parsing the MIME)",
    "parse": "reading documents in the parsing worker (starting it included), OCR apart",
    "ocr": "reading scanned pages (page images and Tesseract)",
    "rules": "classifying, extracting, checking, joining and assessing cases",
    "register": "recording each email in the register (SQLite)",
    "reports": "JSON, report.html, tracker.xlsx and reply drafts",
    "other": "listing, reading and moving the inbox's files",
}


class StageTimings(BaseModel):
    """Seconds of wall time by stage, the run's whole wall time, and what was read."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    wall: float
    seconds: dict[Stage, float]  # each of STAGES
    documents: int = 0  # handed to the parsing worker
    scanned: int = 0  # of which read by OCR

    @property
    def other(self) -> float:
        return max(0.0, self.wall - sum(self.seconds.values()))

    def stages(self) -> dict[str, float]:
        return {stage: self.seconds.get(stage, 0.0) for stage in STAGES}

    def lines(self) -> list[str]:
        """The table ``pipeline run --timings`` prints."""
        rows = {**self.stages(), "other": self.other}
        share = {name: seconds / self.wall if self.wall else 0.0 for name, seconds in rows.items()}
        counts = {
            "parse": f" ({self.documents} document(s))",
            "ocr": f" ({self.scanned} scanned document(s))",
        }
        return [
            f"Time by stage, {self.wall:.2f} s in all (wall clock):",
            *(
                f"  {LABEL.get(name, name):<9}{seconds:8.2f} s {share[name]:4.0%}  {MEANING[name]}"
                f"{counts.get(name, '')}"
                for name, seconds in rows.items()
            ),
        ]


@dataclass
class Span:
    """One stage's time, nested stages included (filled in when it ends)."""

    seconds: float = 0.0


@dataclass
class _Frame:
    stage: Stage
    since: float


class StageClock:
    """Adds up time by stage from when it was made. Safe to share between threads (each keeps
    its own nesting); a run makes its own to report on (``runner.run_inbox``)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._seconds: dict[Stage, float] = dict.fromkeys(STAGES, 0.0)
        self._documents = 0
        self._scanned = 0
        self._lock = threading.Lock()
        self._local = threading.local()

    @contextmanager
    def stage(self, name: Stage) -> Iterator[Span]:
        """Time spent inside, less any stage nested in it, is counted to ``name``."""
        frames = self._frames()
        span, now = Span(), time.perf_counter()
        if frames:
            self._charge(frames[-1], now)
        frame = _Frame(name, now)
        frames.append(frame)
        try:
            yield span
        finally:
            end = time.perf_counter()
            self._charge(frame, end)
            frames.pop()
            if frames:
                frames[-1].since = end
            span.seconds = end - now

    def parse(self, read: Callable[[], ReadDocument | None]) -> ReadDocument | None:
        """``read()`` (a document handed to the parsing worker) timed as parsing, of which the
        worker's own OCR time is moved to OCR."""
        with self.stage("parse") as span:
            try:
                document = read()
            finally:
                with self._lock:
                    self._documents += 1
        if document is not None and document.ocr_seconds > 0:
            ocr = min(document.ocr_seconds, span.seconds)
            with self._lock:
                self._seconds["parse"] -= ocr
                self._seconds["ocr"] += ocr
                self._scanned += 1
        return document

    def timings(self) -> StageTimings:
        """The time so far, the wall time since the clock was made."""
        with self._lock:
            return StageTimings(
                wall=time.perf_counter() - self.started,
                documents=self._documents,
                scanned=self._scanned,
                seconds=dict(self._seconds),
            )

    def _charge(self, frame: _Frame, now: float) -> None:
        with self._lock:
            self._seconds[frame.stage] += now - frame.since
        frame.since = now

    def _frames(self) -> list[_Frame]:
        frames: list[_Frame] | None = getattr(self._local, "frames", None)
        if frames is None:
            frames = self._local.frames = []
        return frames
