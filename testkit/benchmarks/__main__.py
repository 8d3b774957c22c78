"""python -m testkit.benchmarks [--quick] [--runs N] [--out PATH]: every scenario -> results.md.

The full run takes about 20 minutes on 2 cores (the first run also generates the workload,
cached in testkit/benchmarks/.cache/); ``--quick`` is a smoke run of a couple of minutes with
small sizes, written to testkit/benchmarks/results-quick.md unless --out says otherwise.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from testkit.benchmarks import scenarios, workload
from testkit.benchmarks.report import Row, machine, megabytes, seconds, spread, table

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sizes:
    backlog: int
    large: int
    drops: int
    drops_copied: int
    runs: int
    reruns: int


FULL = Sizes(backlog=500, large=2000, drops=50, drops_copied=20, runs=3, reruns=5)
QUICK = Sizes(backlog=40, large=120, drops=5, drops_copied=2, runs=1, reruns=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--runs", type=int, help="runs of each backlog, baseline and bundle")
    parser.add_argument("--out", type=Path, help="where to write the results (Markdown)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.runs:
        sizes = Sizes(**{**sizes.__dict__, "runs": args.runs})
    out = args.out or HERE / ("results-quick.md" if args.quick else "results.md")
    started = time.perf_counter()
    lines = run(sizes)
    elapsed = time.perf_counter() - started
    lines.insert(
        1,
        f"\n`python -m testkit.benchmarks{' --quick' if args.quick else ''}`, "
        f"{elapsed / 60:.1f} minutes in all.",
    )
    notes = HERE / "notes.md"
    if notes.exists() and not args.quick:
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def run(sizes: Sizes) -> list[str]:
    config = workload.base_config()
    settle_default = config.intake.settle_seconds
    small = workload.backlog(sizes.backlog)
    large = workload.backlog(sizes.large)
    drops = workload.watch_drops(sizes.drops + sizes.drops_copied)
    meeting = workload.meeting_inbox()
    files = workload.attachments(small)
    kinds = Counter(p.suffix for p in files.iterdir() if p.suffix)

    with tempfile.TemporaryDirectory(prefix="bench-state-") as state:
        kept = Path(state) / "after-backlog"
        ours = scenarios.backlog(small, sizes.runs, keep=kept)
        markitdown = scenarios.baseline("markitdown", files, sizes.runs)
        floor = scenarios.baseline("floor", files, sizes.runs)
        again = scenarios.rerun(small, kept, sizes.reruns)
        fast = scenarios.watch(kept, drops[: sizes.drops], settle_default, rename=True)
        configured = scenarios.watch(kept, drops[sizes.drops :], settle_default, rename=False)
    meeting_pages = workload.pdf_pages(meeting)
    bundle = scenarios.bundle(meeting, sizes.runs)
    big = scenarios.backlog(large, 1)

    to_markitdown = ours.seconds.median / markitdown.seconds.median
    to_floor = ours.seconds.median / floor.seconds.median
    per_small = ours.seconds.median / sizes.backlog
    per_large = big.seconds.median / sizes.large
    p95 = fast.latency.percentile(95)
    p95_configured = configured.latency.percentile(95)
    mem_limit = 400.0
    rows = [
        Row(
            f"backlog, {sizes.backlog} emails, cold",
            seconds(ours.seconds),
            spread(ours.seconds),
            megabytes(ours.peak_pss_mb, ours.peak_rss_mb),
            "",
            None,
        ),
        Row(
            "markitdown, same attachments",
            seconds(markitdown.seconds),
            spread(markitdown.seconds),
            megabytes(markitdown.peak_pss_mb, markitdown.peak_rss_mb),
            "",
            None,
        ),
        Row(
            "floor (zip+lxml, pypdfium2), same attachments",
            seconds(floor.seconds),
            spread(floor.seconds),
            megabytes(floor.peak_pss_mb, floor.peak_rss_mb),
            "",
            None,
        ),
        Row("backlog ÷ markitdown", f"{to_markitdown:.2f}×", "", "", "< 1.0×", to_markitdown < 1.0),
        Row("backlog ÷ floor", f"{to_floor:.1f}×", "", "", "≤ 3×", to_floor <= 3.0),
        Row(
            f"same backlog again ({sizes.backlog} emails, nothing new)",
            seconds(again.seconds),
            spread(again.seconds),
            megabytes(again.peak_pss_mb, again.peak_rss_mb),
            "< 2 s",
            again.seconds.median < 2.0,
        ),
        Row(
            f"watch: one email renamed into inbox/ → JSON + reports ({sizes.drops} drops)",
            f"{fast.latency.median:.2f} s",
            f"p95 {p95:.2f} s; {fast.latency.low:.2f}–{fast.latency.high:.2f} s",
            megabytes(fast.peak_pss_mb, fast.peak_rss_mb),
            "p95 < 1 s",
            p95 < 1.0,
        ),
        Row(
            f"watch: one email copied into inbox/ → JSON + reports ({sizes.drops_copied} drops)",
            f"{configured.latency.median:.2f} s",
            f"p95 {p95_configured:.2f} s; "
            f"{configured.latency.low:.2f}–{configured.latency.high:.2f} s",
            megabytes(configured.peak_pss_mb, configured.peak_rss_mb),
            "p95 < 1 s",
            p95_configured < 1.0,
        ),
        Row(
            f"bundle: 30-case meeting, {meeting_pages} pages of attached PDFs",
            seconds(bundle.seconds),
            spread(bundle.seconds),
            megabytes(bundle.peak_pss_mb, bundle.peak_rss_mb),
            "< 10 s, < 400 MB",
            bundle.seconds.median < 10 and bundle.peak_pss_mb.high < mem_limit,
        ),
        Row(
            f"backlog, {sizes.large} emails, cold",
            seconds(big.seconds),
            spread(big.seconds),
            megabytes(big.peak_pss_mb, big.peak_rss_mb),
            "< 400 MB",
            big.peak_pss_mb.high < mem_limit,
        ),
    ]
    by_kind = ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(ours.details["statuses"].items()))
    pages = ", ".join(f"{k} {v} pages" for k, v in bundle.details.get("pages", {}).items())
    return [
        "# Benchmarks",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Results",
        "",
        *table(rows),
        "",
        "## Details",
        "",
        f"- Workload (seed {workload.SEED}): {sizes.backlog} emails carrying "
        f"{sum(kinds.values())} attachments ({by_kind}); "
        f"{ours.details['submissions']} submissions: {statuses}. In every ten emails, eight IPN "
        "referrals (form, provision map, professional's report; a third also carry a newsletter; "
        "a quarter a seeded defect) and two project / capital / EHC plan / review requests.",
        f"- Cost per email, cold: {per_small * 1000:.0f} ms at {sizes.backlog} emails, "
        f"{per_large * 1000:.0f} ms at {sizes.large} ({per_large / per_small:.2f}× — "
        "1.00× is linear growth).",
        "- Each backlog run is `run_inbox` in a fresh process (worker start-up included, "
        "interpreter start-up not): storing, parsing in the sandboxed worker, checking, the "
        "register, a JSON per submission, report.html and tracker.xlsx. The baselines only turn "
        "the same attachment files into text, in one process each.",
        f"- Watch, with the configured settle time ({settle_default:g} s, the fallback when no "
        "close-after-write or rename is seen): of the median "
        f"{fast.latency.median:.2f} s, {fast.waiting.median:.2f} s passes before the watcher "
        f"takes the file, {fast.handling.median:.2f} s handling the email and "
        f"{fast.reports.median:.2f} s rewriting report.html and tracker.xlsx "
        f"({fast.submissions_before}+ submissions in the register). Copied in: "
        f"{configured.waiting.median:.2f} s waiting of {configured.latency.median:.2f} s.",
        f"- Bundle: make_bundle only (processing the meeting's emails is not timed); {pages}.",
        f"- Peak memory of the {sizes.large}-email backlog: main process "
        f"{big.details.get('peak_main_pss_mb', 0):.0f} MB, parsing worker "
        f"{big.details.get('peak_worker_pss_mb', 0):.0f} MB (PSS); at {sizes.backlog}: "
        f"{ours.details.get('peak_main_pss_mb', 0):.0f} MB and "
        f"{ours.details.get('peak_worker_pss_mb', 0):.0f} MB.",
        "- Peak memory is sampled every 50 ms over the process and its parsing worker: PSS "
        "(pages shared between the two counted once) and, in brackets, the plain sum of RSS "
        "(the forked worker's shared pages counted twice).",
    ]


if __name__ == "__main__":
    sys.exit(main())
