"""python -m testkit.benchmarks.desk [--submissions N] [--requests N] [--out PATH]: how fast the
desk's queue and case pages answer with N submissions in the register (target: median under
200 ms at 2,000), measured over HTTP against the real server; writes
benchmarks/desk-results.md.

The register is made by the real pipeline from the benchmark workload (generated once and
cached in benchmarks/.cache/); processing 2,000 emails takes about two minutes.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn

from pipeline.config import Config
from pipeline.desk.accounts import Role, add_user
from pipeline.desk.app import create_app
from pipeline.desk.store import DeskStore
from pipeline.register import Register
from pipeline.runner import open_context, run_inbox
from testkit.benchmarks import workload

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parents[1] / "benchmarks"  # the repository's benchmarks/ folder
TARGET_MS = 200.0
ADMIN = ("bench.admin", "a benchmark password")
PAGES = {
    "queue (all, newest 50)": "/queue",
    "queue: page 20 of all": "/queue?page=20",
    "queue: incomplete": "/queue?need=incomplete",
    "queue: drafts not yet sent": "/queue?need=drafts",
    "queue: filtered by setting and finding": "/queue?finding=missing_document&status=incomplete",
}


def register_of(size: int, workspace: Path) -> Config:
    config = workload.workspace_config(workload.base_config(), workspace, workload.backlog(size))
    with open_context(config) as ctx:
        run_inbox(ctx)
    return config


def serve(config: Config, store: DeskStore) -> tuple[uvicorn.Server, threading.Thread, str]:
    server = uvicorn.Server(
        uvicorn.Config(create_app(config, store), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, thread, f"http://127.0.0.1:{port}"


def signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text)
    assert token
    client.post("/signin", data={"csrf": token.group(1), "name": ADMIN[0], "password": ADMIN[1]})
    return client


def timed(client: httpx.Client, path: str, runs: int) -> list[float]:
    client.get(path)  # warm: templates compiled, pages cached by SQLite
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (path, answer.status_code)
    return times


def case_paths(config: Config, count: int) -> list[str]:
    """Case pages spread over the register: the first, the last and between."""
    with Register(config.paths.register_db) as register:
        refs = sorted({s.case_ref for s in register.submissions() if s.case_ref})
    step = max(1, len(refs) // count)
    return [f"/case/{ref}" for ref in refs[::step][:count]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.benchmarks.desk", description=__doc__)
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=30, help="per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over every page")
    parser.add_argument("--out", type=Path, default=RESULTS / "desk-results.md")
    parser.add_argument(
        "--workspace", type=Path, help="keep the register here (and reuse what it holds)"
    )
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="with --workspace: time the register it holds as it is, running no emails",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as scratch:
        folder = args.workspace or Path(scratch)
        config = (
            workload.workspace_config(workload.base_config(), folder, folder / "inbox")
            if args.as_is and args.workspace
            else register_of(args.submissions, folder)
        )
        with Register(config.paths.register_db) as register:
            submissions = register.counts()["submissions"]
        store = DeskStore.of(config)
        add_user(store, *ADMIN, role=Role.admin)
        server, thread, base = serve(config, store)
        loads = [load_average()]
        try:
            client = signed_in(base)
            rounds = [one_round(client, config, args.requests) for _ in range(args.rounds)]
        finally:
            server.should_exit = True
            thread.join(timeout=30)
        loads.append(load_average())
    rows = [(name, [r[name] for r in rounds]) for name in rounds[0]]
    text = report(rows, submissions, args.requests, loads)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(overall(t) < TARGET_MS for _, t in rows) else 1


def one_round(client: httpx.Client, config: Config, requests: int) -> dict[str, list[float]]:
    """Every page timed once more: the queue's views, then ten case pages."""
    times = {name: timed(client, path, requests) for name, path in PAGES.items()}
    cases = case_paths(config, 10)
    per_case = max(1, requests // len(cases))
    times["case page (10 cases)"] = [t for p in cases for t in timed(client, p, per_case)]
    return times


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages, as Linux keeps them."""
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="ascii").split()[:3])
    except OSError:
        return "unknown"


def overall(rounds: list[list[float]]) -> float:
    return statistics.median(t for times in rounds for t in times)


def report(
    rows: list[tuple[str, list[list[float]]]], submissions: int, requests: int, loads: list[str]
) -> str:
    lines = [
        "# The desk's pages: response times",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by "
        "`python -m testkit.benchmarks.desk`, over "
        f"HTTP against the desk's uvicorn server, {submissions:,} submissions in the register, "
        f"{len(rows[0][1])} rounds of {requests} requests per page, each after one warm-up; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"(1, 5, 15 min) {loads[0]} before and {loads[-1]} after.",
        "",
        "| page | median | median of each round | p95 | min–max | target | |",
        "|---|---:|---|---:|---|---|---|",
    ]
    for name, rounds in rows:
        ordered = sorted(t for times in rounds for t in times)
        median = overall(rounds)
        each = ", ".join(f"{statistics.median(times):.0f}" for times in rounds)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        met = "met" if median < TARGET_MS else "**missed**"
        lines.append(
            f"| {name} | {median:.0f} ms | {each} ms | {p95:.0f} ms "
            f"| {ordered[0]:.0f}–{ordered[-1]:.0f} ms | median < {TARGET_MS:.0f} ms | {met} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
