"""Imported by the parsing workers' fork server only, before it forks any worker.

The readers are imported, and the formula library (65 MB once warmed, loaded on first use)
warmed with a provision map's kind of formula: every worker forked then shares these pages
with the fork server instead of loading a copy of its own, which kept the process tree with
a worker per core over its memory budget. The library's statistics functions are left out
(read/formula_functions.py): they import SciPy, a second of every start-up, and a worker
loads them only when a workbook's formula names one.
"""

from __future__ import annotations

import gc

import pipeline.read.converted
import pipeline.read.docx
import pipeline.read.pdf
import pipeline.read.xlsx
import pipeline.sandbox_worker
from pipeline.read.formula import FormulaEvaluator

# What a worker runs, and the readers read_document imports when it first meets their format.
_WORKER = (
    pipeline.sandbox_worker,
    pipeline.read.converted,
    pipeline.read.docx,
    pipeline.read.pdf,
    pipeline.read.xlsx,
)

FormulaEvaluator(lambda sheet, name: 1).evaluate("Map", "A1", "=ROUND(SUM(B1:B2)*C1/D1-E1,2)")
# Kept out of the collector's sweeps: a sweep writes to every object it visits, and each page
# written is one a worker stops sharing with the fork server.
gc.freeze()
