"""Imported by the parsing workers' fork server only, before it forks any worker.

The readers are imported, and the formula library (65 MB once warmed, loaded on first use)
warmed with a provision map's kind of formula: every worker forked then shares these pages
with the fork server instead of loading a copy of its own, which kept the process tree with
a worker per core over its memory budget. The library's statistics functions are left out
(read/formula_functions.py): they import SciPy, a second of every start-up, and a worker
loads them only when a workbook's formula names one.

A worker forked here does not run the parent's ``__main__`` again, as multiprocessing would
have it do (for a parent run as a script or ``python -m module``): for ``pipeline run`` that
is the whole command line (Typer and every command's modules), half a second of every
worker's start, on the way to the first document, in memory no worker shared.
"""

from __future__ import annotations

import gc
import multiprocessing.spawn
import os
from collections.abc import Mapping
from typing import Any

from pipeline.read import tesseract

# Each of a scan's pages is read by an engine of its own, as many at a time as there are cores.
with tesseract.loading_engines(os.cpu_count() or 1):
    import pipeline.read.converted
    import pipeline.read.docx
    import pipeline.read.pdf
    import pipeline.read.xlsx
    import pipeline.sandbox_worker
    from pipeline.read.formula import FormulaEvaluator

    FormulaEvaluator(lambda sheet, name: 1).evaluate("Map", "A1", "=ROUND(SUM(B1:B2)*C1/D1-E1,2)")


def _prepare_without_main(data: Mapping[str, Any]) -> None:
    """The worker's preparation (name, authkey, paths, folder) less the parent's __main__:
    what a worker runs is imported by name from the pipeline, never from __main__."""
    _PREPARE({key: value for key, value in data.items() if key not in _MAIN_KEYS})


_PREPARE = multiprocessing.spawn.prepare
_MAIN_KEYS = ("init_main_from_name", "init_main_from_path")
# Called by each worker as it starts (spawn._main); only in the fork server and its workers.
multiprocessing.spawn.prepare = _prepare_without_main

# What a worker runs, and the readers read_document imports when it first meets their format.
_WORKER = (
    pipeline.sandbox_worker,
    pipeline.read.converted,
    pipeline.read.docx,
    pipeline.read.pdf,
    pipeline.read.xlsx,
)

# Kept out of the collector's sweeps: a sweep writes to every object it visits, and each page
# written is one a worker stops sharing with the fork server.
gc.freeze()
