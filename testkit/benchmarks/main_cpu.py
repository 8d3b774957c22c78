"""python -m testkit.benchmarks.main_cpu [INBOX]: where the main process's CPU goes.

``run_inbox`` over a copy of a backlog (default: the cached 120-email one) in a fresh
workspace, with the CPU time of the main thread (``time.thread_time``: the parsing workers and
background threads apart, and steadier than wall time on a shared machine) added up for the
whole run and, inclusive, for each function of ``PARTS``. Compare two versions by running
each a few times, alternately, on the same machine.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

PARTS = (  # (module or class, function): where the main process's work is
    ("pipeline.intake.mail", "parse_eml"),
    ("pipeline.intake.store.BlobStore", "put"),
    ("pipeline.flow.attachments", "read_attachment"),
    ("pipeline.flow.journey", "outcomes"),
    ("pipeline.register.messages.MessageQueries", "record"),
    ("pipeline.flow.journey", "publish"),
    ("pipeline.reports.publish", "write_submission_json"),
    ("pipeline.register.outputs.OutputQueries", "mark_published"),
    ("pipeline.runner", "draft_replies"),
    ("pipeline.runner", "write_reports"),
    ("pipeline.register.records.StoredRecord", "submission"),
)


def _owner(dotted: str) -> Any:
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError:
        module, _, name = dotted.rpartition(".")
        return getattr(importlib.import_module(module), name, None)


def _timed(
    name: str, function: Callable[..., Any], cpu: dict[str, float], calls: Counter[str]
) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            cpu[name] = cpu.get(name, 0.0) + time.thread_time() - start
            calls[name] += 1

    return wrapper


def measure(inbox: Path) -> list[str]:
    from pipeline.runner import open_context, run_inbox
    from testkit.benchmarks.workload import base_config, workspace_config

    cpu: dict[str, float] = {}
    calls: Counter[str] = Counter()
    for dotted, attribute in PARTS:
        owner = _owner(dotted)
        if owner is not None and hasattr(owner, attribute):  # an older version may not
            name = f"{dotted.rpartition('.')[2]}.{attribute}"
            setattr(owner, attribute, _timed(name, getattr(owner, attribute), cpu, calls))
    with tempfile.TemporaryDirectory(prefix="bench-cpu-") as scratch:
        copy = Path(scratch) / "inbox"
        shutil.copytree(inbox, copy)
        config = workspace_config(base_config(), Path(scratch), copy)
        with open_context(config) as ctx:
            start = time.thread_time()
            summary = run_inbox(ctx)
            total = time.thread_time() - start
    lines = [f"main thread CPU {total:.3f} s over {summary.processed} emails"]
    for name, seconds in sorted(cpu.items(), key=lambda item: -item[1]):
        lines.append(
            f"  {seconds:7.3f} s {seconds / total:6.1%} {calls[name]:6d} calls "
            f"{1000 * seconds / calls[name]:8.3f} ms a call  {name}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    from testkit.benchmarks.workload import CACHE

    parser = argparse.ArgumentParser(prog="python -m testkit.benchmarks.main_cpu")
    parser.add_argument("inbox", nargs="?", type=Path, default=CACHE / "backlog-120")
    args = parser.parse_args(argv)
    print("\n".join(measure(args.inbox)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
