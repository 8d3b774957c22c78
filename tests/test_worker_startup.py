"""The parsing workers start fast and early: without SciPy (a formula that needs it is still
computed), before the first email a watcher is given, and they end with a run.

The workers' fork server imports the readers and warms the formula library before forking
(pipeline/worker_preload.py); the statistics functions (AVERAGE, STDEV, MAX ...) come from a
module that imports SciPy, which is loaded only in the worker that meets such a formula.
"""

from __future__ import annotations

import io
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from pipeline.config import Config
from pipeline.extract.provision_map import extract_provision_map
from pipeline.read import tesseract
from pipeline.read.formula_functions import FunctionTable, library_get_functions
from pipeline.runner import open_context, run_inbox, watch_inbox
from pipeline.sandbox import Limits, ParserPool
from schemas import ProvisionLine, ProvisionMap, specs
from testkit.samples import generate

SHA = "0" * 64
HEADERS = [s.label for s in specs(ProvisionLine)]
# need, provision, staff, sessions, minutes, weeks, rate, group: the costs come to 950 and 380
LINES = [("SEMH", "ELSA", "TA", 1, 60, 38, 25, 1), ("Literacy", "Phonics", "TA", 2, 30, 38, 20, 2)]
TOTAL = {s.id: s.label for s in specs(ProvisionMap)}["total_cost"]


def modules_after_importing(module: str) -> set[str]:
    """The modules a fresh interpreter holds once it has imported ``module``."""
    shown = subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(shown.stdout.split())


# A program that reads a document in a parsing worker; run again in the worker (as
# multiprocessing does with a parent's __main__) it says so in the file its argument names.
PROGRAM = """
import sys
from pathlib import Path

if __name__ != "__main__":
    Path(sys.argv[1]).write_text(f"run again as {__name__}")
else:
    from pipeline.sandbox import Limits, ParserPool
    from testkit.reliability import files

    pool = ParserPool(Limits(60, 1536, max_unzipped_mb=500, max_zip_ratio=10_000))
    try:
        document = pool.read(files.plain_docx("read by the worker"), "a.docx", "0" * 64)
    finally:
        pool.close()
    print(document.paragraphs[0].text)
"""


@pytest.fixture
def pool() -> Iterator[ParserPool]:
    pool = ParserPool(Limits(60, 1536, max_unzipped_mb=500, max_zip_ratio=10_000))
    yield pool
    pool.close()


def map_with_cost_formulas(costs: list[str], total: str) -> bytes:
    """A provision map whose two line costs and total are formulas (openpyxl caches none)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["A2"], sheet["B2"] = "Costed Provision Map", "Pupil name", "Amy Jones"
    for col, header in enumerate(HEADERS, start=1):
        sheet.cell(4, col, header)
    for row, (line, cost) in enumerate(zip(LINES, costs, strict=True), start=5):
        for col, value in enumerate(line, start=1):
            sheet.cell(row, col, value)
        sheet.cell(row, 9, cost)
    sheet["H8"], sheet["I8"] = TOTAL, total
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_parsing_workers_fork_server_does_not_import_scipy() -> None:
    loaded = modules_after_importing("pipeline.worker_preload")

    assert "formulas.functions.math" in loaded  # the formula library is warmed ...
    assert not {m for m in loaded if m == "scipy" or m.startswith("scipy.")}  # ... without SciPy


@pytest.mark.skipif(not tesseract.available(), reason="Tesseract is not installed")
def test_the_parsing_workers_fork_server_loads_a_tesseract_engine_for_each_core() -> None:
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, pipeline.worker_preload; from pipeline.read import tesseract; "
            "print(len(tesseract._idle['eng']), os.cpu_count())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    engines, cores = shown.stdout.split()

    assert engines == cores


@pytest.mark.parametrize("started_as", ["script", "module"])
def test_a_parsing_worker_does_not_run_the_programs_main_module_again(
    tmp_path: Path, started_as: str
) -> None:
    (tmp_path / "reads_in_a_worker.py").write_text(PROGRAM)
    run_again = tmp_path / "run-again.txt"
    program = ["reads_in_a_worker.py"] if started_as == "script" else ["-m", "reads_in_a_worker"]

    shown = subprocess.run(
        [sys.executable, *program, str(run_again)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )

    assert shown.stdout.strip() == "read by the worker"
    assert not run_again.exists()


def test_statistics_formulas_without_cached_values_are_computed_in_a_parsing_worker(
    pool: ParserPool,
) -> None:
    data = map_with_cost_formulas(
        ["=MAX(D5*E5/60*F5*G5/H5, 0)", "=AVERAGE(D6*E6/60*F6*G6/H6, 380)"],
        "=SUM(I5:I6) + 0*STDEV(I5:I6)",
    )

    document = extract_provision_map(pool.read(data, "map.xlsx", SHA))  # type: ignore[arg-type]

    assert [line.values.annual_cost for line in document.lines] == [950, 380]
    form = document.form_as(ProvisionMap)
    assert form is not None and form.total_cost == 1330


def test_completing_the_function_table_keeps_every_function_it_already_had() -> None:
    # A formula computed before a statistics formula came along must compute the same after.
    table = FunctionTable(library_get_functions())
    before = dict(table)

    assert "STDEV" in table  # completes it

    assert [name for name, function in before.items() if table[name] is not function] == []
    assert table["STDEV"] is library_get_functions()()["STDEV"]


def live_workers() -> set[int]:
    """The parsing workers alive now: the children of this process's fork server."""
    servers = [pid for pid in children(os.getpid()) if b"forkserver" in cmdline(pid)]
    return {worker for server in servers for worker in children(server)}


def children(parent: int) -> list[int]:
    """The live (not zombie) processes whose parent is ``parent``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            state, ppid = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue  # not a process, or one that has just ended
        if int(ppid) == parent and state != "Z":
            found.append(int(entry.name))
    return found


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def submissions(outbox: Path) -> list[dict[str, object]]:
    folder = outbox / "submissions"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def watching(config: Config, stop: threading.Event, pools: queue.Queue[ParserPool]) -> None:
    """``pipeline watch`` on this thread (the register's connection is the thread's own)."""
    with open_context(config) as ctx:
        pools.put(ctx.parsers)
        watch_inbox(ctx, stop)


def test_a_watcher_has_its_parsing_workers_running_before_the_first_email_arrives(
    config: Config,
) -> None:
    config = config.model_copy(
        update={"intake": config.intake.model_copy(update={"settle_seconds": 0.1})}
    )
    stop, pools = threading.Event(), queue.Queue[ParserPool]()
    watcher = threading.Thread(target=watching, args=(config, stop, pools))
    watcher.start()
    try:
        pool = pools.get(timeout=60)
        assert pool.wait_warm(timeout=120)
        waiting = pool.worker_pids()
        assert len(waiting) == config.intake.parse_workers
        assert waiting <= live_workers()

        generate(config.paths.inbox, config, seed=43, clean=1)
        deadline = time.monotonic() + 120
        while not submissions(config.paths.outbox):
            assert watcher.is_alive() and time.monotonic() < deadline
            stop.wait(0.05)
        assert pool.wait_warm(timeout=120)
        read_by = pool.worker_pids()
    finally:
        stop.set()
        watcher.join(60)
    # the email was read by the workers that were waiting for it, still running for the next
    assert read_by == waiting
    assert submissions(config.paths.outbox)[0]["status"] == "complete"


def test_a_run_ends_its_parsing_workers_once_the_mail_is_read(config: Config) -> None:
    generate(config.paths.inbox, config, seed=44, clean=2)

    with open_context(config) as ctx:
        summary = run_inbox(ctx)
        left = live_workers()

    assert summary.processed == 2
    assert left == set()


def test_the_main_process_does_not_import_what_only_the_workers_or_the_bundle_need() -> None:
    # pipeline.runner is what `pipeline run`, `watch` and `serve` import; the readers' PDF
    # libraries live in the parsing workers, and the rest load only where they are used.
    loaded = modules_after_importing("pipeline.runner")

    heavy = ("pandas", "reportlab", "scipy", "extract_msg", "pdfplumber", "pypdf", "docx")
    assert [name for name in heavy if name in loaded] == []
