"""benchmarks/results.md: the machine, the versions, and a table of every scenario."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import psutil

from testkit.benchmarks.measure import Series

PACKAGES = (
    "pydantic",
    "python-docx",
    "openpyxl",
    "pdfplumber",
    "pdfminer.six",
    "pypdf",
    "reportlab",
    "formulas",
    "lxml",
    "watchdog",
    "markitdown",
    "pypdfium2",
    "psutil",
)


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 1024**3
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    return [
        f"- CPU: {cpu}; {os.cpu_count()} logical cores "
        f"({psutil.cpu_count(logical=False)} physical); memory {memory:.1f} GiB",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        f"- Packages: {', '.join(versions)}",
        f"- Code: git {_git_revision()}",
        f"- Run: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
    ]


def _git_revision() -> str:
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "pipeline", "schemas"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' + uncommitted changes' if dirty else ''}"


def seconds(series: Series) -> str:
    return f"{series.median:.2f} s"


def spread(series: Series) -> str:
    if len(series.values) == 1:
        return "1 run"
    return f"{series.low:.2f}–{series.high:.2f} s ({len(series.values)} runs)"


def megabytes(pss: Series | float, rss: Series | float) -> str:
    p = pss.high if isinstance(pss, Series) else pss
    r = rss.high if isinstance(rss, Series) else rss
    return f"{p:.0f} MB (RSS sum {r:.0f} MB)"


@dataclass
class Row:
    scenario: str
    median: str
    spread: str
    memory: str
    target: str
    met: bool | None  # None: no target

    def cells(self) -> str:
        verdict = "" if self.met is None else ("met" if self.met else "**missed**")
        return (
            f"| {self.scenario} | {self.median} | {self.spread} | {self.memory} | "
            f"{self.target} | {verdict} |"
        )


def table(rows: list[Row]) -> list[str]:
    return [
        "| scenario | median | spread (min–max) | peak memory, process tree (PSS) | target | |",
        "|---|---|---|---|---|---|",
        *(row.cells() for row in rows),
    ]
