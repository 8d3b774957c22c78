"""python -m testkit.benchmarks.desk [--submissions N] [--requests N] [--out PATH]: how fast the
desk's queue and case pages answer with N submissions in the register (target: median under
200 ms at 2,000), measured over HTTP against the real server; writes
testkit/benchmarks/desk-results.md.

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
TARGET_MS = 200.0
ADMIN = ("bench.admin", "a benchmark password")
PAGES = {
    "queue (all, newest 100)": "/queue",
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
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--out", type=Path, default=HERE / "desk-results.md")
    parser.add_argument(
        "--workspace", type=Path, help="keep the register here (and reuse what it holds)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as scratch:
        folder = args.workspace or Path(scratch)
        config = register_of(args.submissions, folder)
        with Register(config.paths.register_db) as register:
            submissions = register.counts()["submissions"]
        store = DeskStore.of(config)
        add_user(store, *ADMIN, role=Role.admin)
        server, thread, base = serve(config, store)
        try:
            client = signed_in(base)
            rows = [(name, timed(client, path, args.requests)) for name, path in PAGES.items()]
            cases = case_paths(config, 10)
            per_case = max(1, args.requests // len(cases))
            rows.append(
                ("case page (10 cases)", [t for p in cases for t in timed(client, p, per_case)])
            )
        finally:
            server.should_exit = True
            thread.join(timeout=30)
    text = report(rows, submissions, args.requests)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(statistics.median(t) < TARGET_MS for _, t in rows) else 1


def report(rows: list[tuple[str, list[float]]], submissions: int, requests: int) -> str:
    lines = [
        "# The desk's pages: response times",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by "
        "`python -m testkit.benchmarks.desk`, over "
        f"HTTP against the desk's uvicorn server, {submissions:,} submissions in the register, "
        f"{requests} requests per page after one warm-up; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| page | median | p95 | min–max | target | |",
        "|---|---:|---:|---|---|---|",
    ]
    for name, times in rows:
        ordered = sorted(times)
        median = statistics.median(ordered)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        met = "met" if median < TARGET_MS else "**missed**"
        lines.append(
            f"| {name} | {median:.0f} ms | {p95:.0f} ms | {ordered[0]:.0f}–{ordered[-1]:.0f} ms "
            f"| median < {TARGET_MS:.0f} ms | {met} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
