"""The parsing workers start without SciPy, and a formula that needs it is still computed.

The workers' fork server imports the readers and warms the formula library before forking
(pipeline/worker_preload.py); the statistics functions (AVERAGE, STDEV, MAX ...) come from a
module that imports SciPy, which is loaded only in the worker that meets such a formula.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator

import openpyxl
import pytest

from pipeline.extract.provision_map import extract_provision_map
from pipeline.read.formula_functions import FunctionTable, library_get_functions
from pipeline.sandbox import Limits, ParserPool
from schemas import ProvisionLine, ProvisionMap, specs

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
