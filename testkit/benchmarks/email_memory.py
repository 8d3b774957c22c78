"""python -m testkit.benchmarks.email_memory [--mb N] [--scans N] [--out PATH]: the memory
the main process holds while it parses one large email (issue 15: at most about twice the
email).

The email is a real generated referral (its Word form and Excel provision map) with
attachments (default three) added to bring it to about N MB (default 40, under the default
``intake.max_email_mb`` of 50). A fresh process reads it from the drop folder as `pipeline run`
does and hands it to ``pipeline.flow.process``; measured there, around that call: the peak of
Python's allocations above what was held before it (tracemalloc; the email's own bytes were
read before, so "1x" is one more copy of the email), and, in another fresh process without
tracemalloc, how far its resident memory rose at its peak above what it was before the call
(Linux: the peak, VmHWM, reset through /proc/self/clear_refs before the call). Writes
benchmarks/email-memory-results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import tracemalloc
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parents[1] / "benchmarks"  # the repository's benchmarks/ folder
MB = 1024 * 1024


def make_email(folder: Path, megabytes: float, scans: int) -> Path:
    """A generated referral email with scans added, about ``megabytes`` MB in all."""
    from pipeline.config import DEFAULT_CONFIG, load_config
    from testkit.reliability.config_file import with_paths
    from testkit.samples import generate

    config = with_paths(load_config(HERE.parents[1] / DEFAULT_CONFIG), folder / "workspace")
    (path,) = generate(folder / "generated", config, seed=5, clean=1)
    message = message_from_bytes(path.read_bytes(), policy=policy.SMTP)
    scan_bytes = int((megabytes * MB - len(path.read_bytes())) * 3 / 4 / scans)  # base64: 4/3
    for n in range(1, scans + 1):
        scan = os.urandom(scan_bytes)
        message.add_attachment(scan, "application", "octet-stream", filename=f"scan-{n}.bin")
    big = folder / "big.eml"
    big.write_bytes(message.as_bytes())
    return big


def child(email: Path, workspace: Path, trace: bool) -> dict[str, Any]:
    """Runs in a fresh process: ``process`` on the email, measured."""
    from pipeline.config import DEFAULT_CONFIG, load_config
    from pipeline.flow import process
    from pipeline.models import Incoming
    from pipeline.runner import open_context
    from testkit.reliability.config_file import with_paths

    config = with_paths(load_config(HERE.parents[1] / DEFAULT_CONFIG), workspace)
    data = email.read_bytes()
    incoming = Incoming(
        source="folder",
        ref=email.name,
        filename=email.name,
        data=data,
        arrived_at=datetime.now(UTC),
    )
    with open_context(config) as ctx:
        if trace:
            tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0] if trace else 0
        Path("/proc/self/clear_refs").write_text("5")  # the peak is now what is resident now
        rss_before = _status_kb("VmRSS")
        submissions = process(incoming, ctx)
        peak = tracemalloc.get_traced_memory()[1] - before if trace else 0
        rss_peak = _status_kb("VmHWM")
    return {
        "email_mb": len(data) / MB,
        "traced_peak_mb": peak / MB,
        "rss_growth_mb": (rss_peak - rss_before) / 1024,
        "statuses": [s.status.value for s in submissions or ()],
    }


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(field)


def measure(email: Path, root: Path, trace: bool) -> dict[str, Any]:
    workspace = Path(tempfile.mkdtemp(dir=root))
    args = [sys.executable, "-m", "testkit.benchmarks.email_memory", "--child", str(email)]
    args += [str(workspace), *(["--trace"] if trace else [])]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(megabytes: float, scans: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        email = make_email(root, megabytes, scans)
        traced = measure(email, root, trace=True)
        rss = measure(email, root, trace=False)
    size = traced["email_mb"]
    return [
        "# Memory while one large email is parsed",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python -m "
        f"testkit.benchmarks.email_memory --mb {megabytes:g} --scans {scans}`; "
        f"{os.cpu_count()} cores, "
        f"Python {platform.python_version()}. One email of {size:.1f} MB (a generated "
        f"referral and {scans} attachment(s) added), processed as {', '.join(traced['statuses'])}.",
        "",
        "| measure (main process, around `process`) | MB | times the email |",
        "|---|---:|---:|",
        f"| peak of Python's allocations above the email already read (tracemalloc) | "
        f"{traced['traced_peak_mb']:.1f} | {traced['traced_peak_mb'] / size:.2f} |",
        f"| peak resident memory above the resident before (VmHWM - VmRSS) | "
        f"{rss['rss_growth_mb']:.1f} | "
        f"{rss['rss_growth_mb'] / size:.2f} |",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.benchmarks.email_memory")
    parser.add_argument("--mb", type=float, default=40.0, help="the email's size (MB)")
    parser.add_argument("--scans", type=int, default=3, help="attachments added to the referral")
    parser.add_argument("--out", type=Path, default=RESULTS / "email-memory-results.md")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        email, workspace = args.child
        print(json.dumps(child(email, workspace, trace=args.trace)))
        return 0
    lines = report(args.mb, args.scans)
    notes = RESULTS / "email-memory-notes.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").rstrip()]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
