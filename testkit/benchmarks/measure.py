"""Wall time and peak memory of a process tree (the pipeline parses in a worker process)."""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import psutil

MB = 1024 * 1024


@dataclass
class Peak:
    """The largest sum of RSS (and of PSS) over a process and its descendants."""

    rss: int = 0
    pss: int = 0
    samples: int = 0
    main_pss: int = 0  # the process itself
    workers_pss: int = 0  # its descendants (the parsing worker)

    @property
    def rss_mb(self) -> float:
        return self.rss / MB

    @property
    def pss_mb(self) -> float:
        return self.pss / MB

    @property
    def main_pss_mb(self) -> float:
        return self.main_pss / MB

    @property
    def workers_pss_mb(self) -> float:
        return self.workers_pss / MB


class TreeSampler:
    """Samples the memory of ``pid`` and all its descendants every ``interval`` seconds.

    RSS counts pages shared between the pipeline and its forked worker twice; PSS shares
    them out, so the PSS sum is the tree's real footprint. Both are reported.
    """

    def __init__(self, pid: int | None = None, interval: float = 0.05) -> None:
        self.root = psutil.Process(pid or os.getpid())
        self.interval = interval
        self.peak = Peak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        rss = pss = main = 0
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        for process in processes:
            try:
                info = process.memory_full_info()
            except psutil.Error:
                continue
            rss += info.rss
            pss += getattr(info, "pss", info.rss)
            if process is self.root:
                main = getattr(info, "pss", info.rss)
        self.peak.rss = max(self.peak.rss, rss)
        self.peak.pss = max(self.peak.pss, pss)
        self.peak.main_pss = max(self.peak.main_pss, main)
        self.peak.workers_pss = max(self.peak.workers_pss, pss - main)
        self.peak.samples += 1


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as elapsed:`` ... ``elapsed[0]`` is the wall time in seconds."""
    elapsed: list[float] = []
    start = time.perf_counter()
    try:
        yield elapsed
    finally:
        elapsed.append(time.perf_counter() - start)


def max_rss_mb() -> float:
    """The largest RSS any single process of this tree reached (getrusage, self and children)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


@dataclass
class Series:
    """Several measurements of one quantity."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def percentile(self, q: float) -> float:
        return percentile(self.values, q)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the nearest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
