"""Compute a spreadsheet formula that has no cached value, over the cells it refers to."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

FORMULA_ERROR = "#VALUE!"
# Formulas waiting on formulas: a provision map's line costs feed a total, two or three deep.
# A chain thousands long is hostile; left to recurse it overflows the stack, and the formula
# library's generators then overflow it again while being cleaned up.
MAX_CHAIN = 100


class FormulaEvaluator:
    """Evaluates formulas of one sheet; ``lookup(ref)`` returns a cell's (or range's) value."""

    def __init__(self, lookup: Callable[[str], Any]) -> None:
        self._lookup = lookup
        self._results: dict[str, Any] = {}
        self._in_progress: set[str] = set()

    def evaluate(self, ref: str, formula: str) -> Any:
        if ref in self._results:
            return self._results[ref]
        if ref in self._in_progress:  # a circular reference: Excel shows an error too
            return FORMULA_ERROR
        if len(self._in_progress) >= MAX_CHAIN:
            return FORMULA_ERROR
        self._in_progress.add(ref)
        try:
            result = self._compute(formula)
        finally:
            self._in_progress.discard(ref)
        self._results[ref] = result
        return result

    def _compute(self, formula: str) -> Any:
        try:
            function = _compiled(formula)
            arguments = [_as_input(self._lookup(name)) for name in function.inputs]
            return _plain(function(*arguments))
        except Exception:  # the library raises many kinds; any failure means "no value"
            return FORMULA_ERROR


@lru_cache(maxsize=512)
def _compiled(formula: str) -> Any:
    import formulas  # imported on first use: it is slow to import and rarely needed

    logging.getLogger("schedula").setLevel(logging.CRITICAL)
    logging.getLogger("formulas").setLevel(logging.CRITICAL)
    return formulas.Parser().ast(formula)[1].compile()


def _as_input(value: Any) -> Any:
    if isinstance(value, list):
        import numpy as np

        return np.array([[_blank_to_empty(v) for v in row] for row in value], dtype=object)
    return _blank_to_empty(value)


def _blank_to_empty(value: Any) -> Any:
    if value is None:
        import schedula

        return schedula.EMPTY
    return value


def _plain(result: Any) -> Any:
    """numpy scalars and 1x1 arrays back to plain Python numbers and strings."""
    import numpy as np

    if isinstance(result, np.ndarray):
        result = result.ravel()[0] if result.size == 1 else result.tolist()
    if isinstance(result, np.generic):
        result = result.item()
    if type(result).__name__ in ("XlError", "Error"):
        return FORMULA_ERROR
    return result
