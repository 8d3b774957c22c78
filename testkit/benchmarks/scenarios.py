"""The scenarios, each run several times in fresh processes (``benchmarks.child``)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testkit.benchmarks.measure import Series, TreeSampler

ROOT = Path(__file__).resolve().parents[2]


def child(*args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "testkit.benchmarks.child", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.child {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@dataclass
class Measured:
    """Several runs of one scenario: seconds and peak memory of each, and the last details."""

    name: str
    seconds: Series = field(default_factory=Series)
    peak_pss_mb: Series = field(default_factory=Series)
    peak_rss_mb: Series = field(default_factory=Series)
    details: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, Series] = field(default_factory=dict)  # a backlog's, by stage

    def add(self, result: dict[str, Any]) -> None:
        self.seconds.add(result["seconds"])
        self.peak_pss_mb.add(result["peak_pss_mb"])
        self.peak_rss_mb.add(result["peak_rss_mb"])
        for stage, seconds in result.get("stages", {}).items():
            self.stages.setdefault(stage, Series()).add(seconds)
        self.details = result


def _progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def backlog(inbox: Path, runs: int, keep: Path | None = None) -> Measured:
    """Cold runs (fresh register, store and outbox each time); ``keep`` gets the last one's."""
    measured = Measured(f"backlog-{inbox.name}")
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-") as workspace:
            result = child("backlog", str(inbox), workspace)
            _progress(f"{measured.name} cold run {run + 1}/{runs}: {result['seconds']:.1f} s")
            measured.add(result)
            if keep is not None and run == runs - 1:
                shutil.rmtree(keep, ignore_errors=True)
                shutil.copytree(workspace, keep)
    return measured


def rerun(inbox: Path, workspace: Path, runs: int) -> Measured:
    """The same backlog again over a workspace that has processed it: nothing new to do."""
    measured = Measured(f"rerun-{inbox.name}")
    for _ in range(runs):
        measured.add(child("backlog", str(inbox), str(workspace)))
    _progress(f"{measured.name}: median {measured.seconds.median:.2f} s")
    return measured


def bundle(inbox: Path, runs: int) -> Measured:
    measured = Measured("bundle")
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-") as workspace:
            result = child("bundle", str(inbox), workspace)
            _progress(f"bundle run {run + 1}/{runs}: {result['seconds']:.1f} s")
            measured.add(result)
    return measured


def baseline(kind: str, folder: Path, runs: int, *more: Path) -> Measured:
    """A baseline or floor (``baselines.py``, ``floors.py``) over ``folder`` (and ``more``)."""
    measured = Measured(kind)
    for run in range(runs):
        result = child(kind, str(folder), *map(str, more))
        _progress(f"{kind} run {run + 1}/{runs}: {result['seconds']:.1f} s")
        measured.add(result)
    return measured


@dataclass
class WatchResult:
    settle: float
    latency: Series = field(default_factory=Series)
    waiting: Series = field(default_factory=Series)  # dropped -> handling starts (settle wait)
    handling: Series = field(default_factory=Series)  # the email: store, read, check, JSON
    reports: Series = field(default_factory=Series)  # report.html and tracker.xlsx
    peak_pss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    submissions_before: int = 0


def watch(workspace: Path, drops: list[Path], settle: float, rename: bool) -> WatchResult:
    """Drop each email into a running watcher (a separate process) and time until its JSON,
    report.html and tracker.xlsx are written; the next is dropped once that is done. Each is
    renamed into the folder (as mail clients and scripts save), or else copied into it."""
    inbox = workspace / "watch-inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir()
    events = workspace / "watch-events.jsonl"
    events.unlink(missing_ok=True)
    outbox = workspace / "outbox"
    result = WatchResult(settle=settle)
    result.submissions_before = len(list((outbox / "submissions").glob("*.json")))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "testkit.benchmarks.child",
            "watch",
            str(inbox),
            str(workspace),
            str(settle),
            str(events),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    try:
        if process.stdout.readline().strip() != "ready":
            raise RuntimeError("the watcher did not start")
        time.sleep(1.0)  # let the observer and the first listing settle
        dropped: list[tuple[float, float]] = []
        with TreeSampler(process.pid) as sampler:
            for path in drops:
                dropped.append(_drop_and_wait(path, inbox, outbox, rename))
                time.sleep(0.2)
        result.peak_pss_mb = sampler.peak.pss_mb
        result.peak_rss_mb = sampler.peak.rss_mb
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
    steps = [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()]
    handles = [s for s in steps if s["step"] == "handle"]
    reports = [s for s in steps if s["step"] == "reports"]
    if len(handles) != len(drops) or len(reports) != len(drops):
        raise RuntimeError(f"{len(drops)} drops, {len(handles)} handled, {len(reports)} reports")
    for (start, end), handled, reported in zip(dropped, handles, reports, strict=True):
        result.latency.add(end - start)
        result.waiting.add(handled["start"] - start)
        result.handling.add(handled["end"] - handled["start"])
        result.reports.add(reported["end"] - reported["start"])
    _progress(
        f"watch (settle {settle:g} s): median {result.latency.median:.2f} s, "
        f"p95 {result.latency.percentile(95):.2f} s"
    )
    return result


def _drop_and_wait(
    path: Path, inbox: Path, outbox: Path, rename: bool, timeout: float = 60
) -> tuple[float, float]:
    """Put the email into the drop folder (one rename, or a copy); wait for its JSON and both
    reports."""
    report, tracker = outbox / "report.html", outbox / "tracker.xlsx"
    before = (_mtime(report), _mtime(tracker), _count(outbox / "submissions"))
    if rename:
        hidden = inbox / f".{path.name}.part"
        shutil.copyfile(path, hidden)
        start = time.time()
        hidden.replace(inbox / path.name)
    else:
        start = time.time()
        shutil.copyfile(path, inbox / path.name)
    while time.time() - start < timeout:
        now = (_mtime(report), _mtime(tracker), _count(outbox / "submissions"))
        if now[0] != before[0] and now[1] != before[1] and now[2] > before[2]:
            return start, time.time()
        time.sleep(0.003)
    raise RuntimeError(f"{path.name} was not processed within {timeout} s")


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _count(folder: Path) -> int:
    try:
        return sum(1 for _ in os.scandir(folder))
    except OSError:
        return 0


def command_line(inbox: Path, runs: int) -> Measured:
    """``python -m pipeline run`` over ``inbox`` into a fresh workspace, timed from outside:
    interpreter start-up and imports included, as an admin running it would wait."""
    from testkit.benchmarks.workload import base_config, workspace_config
    from testkit.reliability.config_file import write_config

    measured = Measured(f"pipeline-run-{inbox.name}")
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-") as workspace:
            config = workspace_config(base_config(), Path(workspace), inbox)
            config_file = write_config(config, Path(workspace) / "config.toml")
            command = [sys.executable, "-m", "pipeline", "run", "--config", str(config_file)]
            start = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            with TreeSampler(process.pid) as sampler:
                code = process.wait(timeout=3600)
            seconds = time.perf_counter() - start
            if code != 0:
                raise RuntimeError(f"pipeline run over {inbox.name} exited with {code}")
            _progress(f"{measured.name} run {run + 1}/{runs}: {seconds:.1f} s")
            measured.add(
                {
                    "seconds": seconds,
                    "peak_pss_mb": sampler.peak.pss_mb,
                    "peak_rss_mb": sampler.peak.rss_mb,
                }
            )
    return measured
