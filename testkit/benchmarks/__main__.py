"""python -m testkit.benchmarks [--quick] [--runs N] [--large-runs N] [--out PATH]: every
scenario -> results.md.

The full run is meant to take about 25 minutes on 2 cores (the first run also generates the
workload, cached in testkit/benchmarks/.cache/, a few minutes more): the text-layer ratios over
120 emails (markitdown over 500 emails' attachments three times was most of the time), the
scanned backlogs of 500, the re-run and the watch after the last of them, the bundle, and the
2,000-email backlog's memory; every target row the median of 3 runs. Written to
benchmarks/results.md at the top of the repository; ``--quick`` is a smoke run of a few
minutes with small sizes, written to testkit/benchmarks/results-quick.md unless --out says
otherwise.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from testkit.benchmarks import scans, scenarios, workload
from testkit.benchmarks.details import details
from testkit.benchmarks.report import machine, table
from testkit.benchmarks.results import Measurements, Sizes, rows, stage_table
from testkit.benchmarks.scenarios import Measured

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parents[1] / "benchmarks"  # the repository's benchmarks/ folder

FULL = Sizes(
    text=120, backlog=500, large=2000, drops=50, drops_copied=20, runs=3, reruns=5, large_runs=3
)
QUICK = Sizes(
    text=30, backlog=30, large=120, drops=5, drops_copied=2, runs=1, reruns=2, large_runs=1
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--runs", type=int, help="runs of each scenario (the issue asks for 3)")
    parser.add_argument(
        "--large-runs", type=int, help="runs of the 2,000-email backlog (default: --runs)"
    )
    parser.add_argument("--out", type=Path, help="where to write the results (Markdown)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.runs:
        sizes = replace(sizes, runs=args.runs, large_runs=args.runs)
    if args.large_runs:
        sizes = replace(sizes, large_runs=args.large_runs)
    out = args.out or (HERE / "results-quick.md" if args.quick else RESULTS / "results.md")
    started = time.perf_counter()
    lines = page(measure(sizes))
    elapsed = time.perf_counter() - started
    lines.insert(
        1,
        f"\n`python -m testkit.benchmarks{' --quick' if args.quick else ''}`, "
        f"{elapsed / 60:.1f} minutes in all.",
    )
    notes = RESULTS / "notes.md"
    if notes.exists() and not args.quick:
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def measure(sizes: Sizes) -> Measurements:
    """Every scenario, one after the other, on this machine in this run."""
    settle = workload.base_config().intake.settle_seconds
    small = workload.backlog(sizes.text)
    large = workload.backlog(sizes.large)
    drops = workload.watch_drops(sizes.drops + sizes.drops_copied)
    meeting = workload.meeting_inbox()
    files = workload.attachments(small)
    scanning = scans.available() and shutil.which("tesseract") is not None
    resolutions = scans.RESOLUTIONS if scanning else ()
    scanned = {ppi: scans.scanned_backlog(sizes.backlog, ppi) for ppi in resolutions}
    one_form = {ppi: scans.one_scanned_form(ppi) for ppi in resolutions}
    pages = {ppi: scans.ocr_pages(sizes.backlog, ppi) for ppi in resolutions}

    ours = scenarios.backlog(small, sizes.runs)
    markitdown = scenarios.baseline("markitdown", files, sizes.runs)
    floor = scenarios.baseline("floor", files, sizes.runs)
    durable = scenarios.baseline("durability", small, sizes.runs, files)
    ocr_floor = {ppi: scenarios.baseline("ocr", pages[ppi], sizes.runs) for ppi in resolutions}
    by_ppi: dict[int, Measured] = {}
    with tempfile.TemporaryDirectory(prefix="bench-state-") as state:
        kept = Path(state) / "after-backlog"
        for ppi in resolutions:  # the last one's workspace is kept for the re-run and watch
            by_ppi[ppi] = scenarios.backlog(scanned[ppi], sizes.runs, keep=kept)
        last = scanned[resolutions[-1]] if resolutions else workload.backlog(sizes.backlog)
        if not resolutions:
            scenarios.backlog(last, 1, keep=kept)
        again = scenarios.rerun(last, kept, sizes.reruns)
        fast = scenarios.watch(kept, drops[: sizes.drops], settle, rename=True)
        configured = scenarios.watch(kept, drops[sizes.drops :], settle, rename=False)
    bundle = scenarios.bundle(meeting, sizes.runs)
    alone: dict[int, Measured] = {}
    from_shell: dict[int, Measured] = {}
    for ppi in resolutions:
        alone[ppi] = scenarios.backlog(one_form[ppi], sizes.runs)
        from_shell[ppi] = scenarios.command_line(one_form[ppi], sizes.runs)
    big = scenarios.backlog(large, sizes.large_runs)
    return Measurements(
        sizes=sizes,
        kinds=Counter(p.suffix for p in files.iterdir() if p.suffix),
        settle=settle,
        ours=ours,
        markitdown=markitdown,
        floor=floor,
        durable=durable,
        ocr_floor=ocr_floor,
        again=again,
        fast=fast,
        configured=configured,
        bundle=bundle,
        meeting_pages=workload.pdf_pages(meeting),
        big=big,
        scanned=by_ppi,
        one_form=alone,
        one_form_cli=from_shell,
        scans=len(scans.scanned_indices(sizes.backlog)) if scanning else 0,
        scan_pages=scans.scan_pages(scans.RESOLUTIONS[0]) if scanning else 0,
    )


def page(results: Measurements) -> list[str]:
    return [
        "# Benchmarks",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Results",
        "",
        *table(rows(results)),
        "",
        "## Time by stage",
        "",
        "Median seconds of each stage over the runs, as the run measured itself "
        "(`pipeline run --timings`; `pipeline/timings.py`), and its share of the run's wall "
        "time (`run_inbox`; medians taken stage by stage, so a row need not add up exactly). "
        "Store: parsing each email and storing it and its attachments. Parse: waiting for the "
        "parsing worker (its start-up included), OCR apart. OCR: what the worker measured "
        "reading scanned pages (page images and Tesseract). Rules: classifying, extracting, "
        "checking, joining and assessing cases. Register: recording each email (SQLite). "
        "Reports: the JSON, report.html, tracker.xlsx and reply drafts. Other: listing, "
        "reading and moving the inbox's files.",
        "",
        *stage_table(results),
        "",
        "## Details",
        "",
        *details(results),
    ]


if __name__ == "__main__":
    sys.exit(main())
