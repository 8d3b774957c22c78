"""One measurement in a fresh process: ``python -m testkit.benchmarks.child SCENARIO ...``.

Prints one JSON object on its last line: the seconds the measured work took and the peak
memory of this process and its worker (sampled sums of RSS and PSS), plus scenario details
(for a backlog, the seconds of each stage as the run measured them: ``pipeline.timings``).
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from testkit.benchmarks.measure import TreeSampler, max_rss_mb, stopwatch
from testkit.benchmarks.workload import base_config, workspace_config


def backlog(inbox: Path, workspace: Path) -> dict[str, Any]:
    """run_inbox over the drop folder: JSON per submission, report.html and tracker.xlsx."""
    from pipeline.runner import open_context, run_inbox

    config = workspace_config(base_config(), workspace, inbox)
    with TreeSampler() as sampler, stopwatch() as elapsed, open_context(config) as ctx:
        summary = run_inbox(ctx)
    assert summary.timings is not None
    return {
        "stages": {
            "wall": summary.timings.wall,
            **summary.timings.stages(),
            "other": summary.timings.other,
        },
        "documents": summary.timings.documents,
        "scanned": summary.timings.scanned,
        "seconds": elapsed[0],
        "peak_rss_mb": sampler.peak.rss_mb,
        "peak_pss_mb": sampler.peak.pss_mb,
        "peak_main_pss_mb": sampler.peak.main_pss_mb,
        "peak_worker_pss_mb": sampler.peak.workers_pss_mb,
        "max_process_rss_mb": max_rss_mb(),
        "processed": summary.processed,
        "skipped": summary.skipped,
        "statuses": summary.statuses,
        "submissions": len(list((workspace / "outbox" / "submissions").glob("*.json"))),
    }


def bundle(inbox: Path, workspace: Path) -> dict[str, Any]:
    """The demo meeting processed (not timed), then make_bundle timed."""
    from pipeline.admin import make_bundle
    from pipeline.runner import open_context, run_inbox
    from testkit.demo import MEETING, gather_at_meeting

    config = workspace_config(base_config(), workspace, inbox)
    with open_context(config) as ctx:
        run_inbox(ctx)
        gather_at_meeting(ctx, by="benchmark", today=MEETING)
        with TreeSampler() as sampler, stopwatch() as elapsed:
            outputs = make_bundle(ctx, MEETING, by="benchmark")
    from pypdf import PdfReader

    pages = {p.name: len(PdfReader(p).pages) for p in outputs if p.suffix == ".pdf"}
    return {
        "seconds": elapsed[0],
        "peak_rss_mb": sampler.peak.rss_mb,
        "peak_pss_mb": sampler.peak.pss_mb,
        "max_process_rss_mb": max_rss_mb(),
        "pages": pages,
    }


def watch(inbox: Path, workspace: Path, settle: float, events: Path) -> dict[str, Any]:
    """The watcher, until SIGTERM; when each handling and each report-writing starts and ends
    goes to ``events`` (JSON lines, wall-clock times), for the parent to match to its drops."""
    from pipeline import runner

    config = workspace_config(base_config(), workspace, inbox)
    config = config.model_copy(
        update={"intake": config.intake.model_copy(update={"settle_seconds": settle})}
    )
    log = events.open("a", encoding="utf-8")

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.time()
            try:
                return function(*args, **kwargs)
            finally:
                log.write(json.dumps({"step": name, "start": start, "end": time.time()}) + "\n")
                log.flush()

        return wrapper

    runner.handle = timed("handle", runner.handle)
    runner.write_reports = timed("reports", runner.write_reports)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with runner.open_context(config) as ctx:
        print("ready", flush=True)
        runner.watch_inbox(ctx, stop)
    return {"max_process_rss_mb": max_rss_mb()}


def main(argv: list[str]) -> int:
    scenario, *rest = argv
    if scenario == "backlog":
        result = backlog(Path(rest[0]), Path(rest[1]))
    elif scenario == "bundle":
        result = bundle(Path(rest[0]), Path(rest[1]))
    elif scenario == "watch":
        result = watch(Path(rest[0]), Path(rest[1]), float(rest[2]), Path(rest[3]))
    elif scenario in ("markitdown", "floor"):
        from testkit.benchmarks.baselines import convert_all

        result = convert_all(scenario, Path(rest[0]))
    elif scenario == "durability":
        from testkit.benchmarks.floors import durability

        result = durability(Path(rest[0]), Path(rest[1]))
    elif scenario == "ocr":
        from testkit.benchmarks.floors import ocr

        result = ocr(Path(rest[0]))
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
