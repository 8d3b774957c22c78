"""Compute a spreadsheet formula that has no cached value, over the cells it refers to.

One evaluator serves a whole workbook, so a formula may read another sheet ('=Costs!B4',
'=SUM('Staff costs'!D2:D9)') or a named cell. A formula that cannot be computed gives a
:class:`FormulaError` carrying the reason, worded for the school; a formula over it gives the
same error, so a total over a broken line cost says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from pipeline.read.formula_functions import use_lazy_function_table

FORMULA_ERROR = "#VALUE!"
# Formulas waiting on formulas: a provision map's line costs feed a total, two or three deep.
# A chain thousands long is hostile; left to recurse it overflows the stack, and the formula
# library's generators then overflow it again while being cleaned up.
MAX_CHAIN = 100


@dataclass(frozen=True)
class FormulaError:
    """A formula without a value: the error Excel would show, why (for the school), and the
    cell whose formula failed (sheet, cell), which the formulas over it pass on."""

    code: str
    reason: str
    where: tuple[str, str] | None = None

    def __str__(self) -> str:
        return self.code

    def explained(self) -> str:
        """'the formula in sheet 'Map' cell I5 refers to ...'."""
        if self.where is None:
            return f"its formula {self.reason}"
        sheet, ref = self.where
        return f"the formula in sheet '{sheet}' cell {ref} {self.reason}"


class UnknownReference(Exception):
    """A formula names what the workbook does not have: ``what`` is a template for the
    reason, with {name} where the name goes as the formula spells it."""

    def __init__(self, name: str, what: str) -> None:
        super().__init__(name)
        self.name = name
        self.what = what


CIRCULAR = "refers back to itself through other cells (a circular reference)"
TOO_DEEP = (
    f"depends on too many formulas in a chain (more than {MAX_CHAIN}, each waiting on the "
    "next), so it was not computed"
)
NOT_COMPUTED = "could not be computed"
_EXCEL_ERRORS = {"#DIV/0!": "divides by zero", "#N/A": "finds no matching value"}

# (sheet title, cell or range or name) -> its value; formulas' own references come unqualified
Lookup = Callable[[str, str], Any]


class FormulaEvaluator:
    """Evaluates a workbook's formulas; ``lookup(sheet, name)`` returns the value of a name
    in a formula on ``sheet`` (a cell, a range, another sheet's cell or a defined name)."""

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup
        self._results: dict[tuple[str, str], Any] = {}
        # in the order they were entered: the first is the formula the chain started from
        self._in_progress: dict[tuple[str, str], None] = {}

    def evaluate(self, sheet: str, ref: str, formula: str) -> Any:
        key = (sheet, ref)
        if key in self._results:
            return self._results[key]
        if key in self._in_progress:
            return FormulaError("#REF!", CIRCULAR, key)
        if len(self._in_progress) >= MAX_CHAIN:
            return FormulaError(FORMULA_ERROR, TOO_DEEP, next(iter(self._in_progress)))
        self._in_progress[key] = None
        try:
            result = self._compute(sheet, formula)
        finally:
            del self._in_progress[key]
        if isinstance(result, FormulaError) and result.where is None:
            result = replace(result, where=key)
        self._results[key] = result
        return result

    def _compute(self, sheet: str, formula: str) -> Any:
        try:
            function = _compiled(formula)
            arguments = [self._lookup(sheet, name) for name in function.inputs]
        except UnknownReference as missing:
            return FormulaError("#REF!", missing.what.format(name=_as_written(formula, missing)))
        except Exception:  # the library raises many kinds; any failure means "no value"
            return FormulaError(FORMULA_ERROR, NOT_COMPUTED)
        failed = _first_error(arguments)
        if failed is not None:  # Excel carries an error up through the formulas over it
            return failed
        try:
            return _plain(function(*(_as_input(argument) for argument in arguments)))
        except Exception:
            return FormulaError(FORMULA_ERROR, NOT_COMPUTED)


def _as_written(formula: str, missing: UnknownReference) -> str:
    """The name as the formula spells it (the formula library reads names in capitals)."""
    start = formula.upper().find(missing.name.upper())
    if start < 0:
        return missing.name
    return formula[start : start + len(missing.name)]


def _first_error(arguments: list[Any]) -> FormulaError | None:
    for argument in arguments:
        values = [v for row in argument for v in row] if isinstance(argument, list) else [argument]
        for value in values:
            if isinstance(value, FormulaError):
                return value
    return None


@lru_cache(maxsize=512)
def _compiled(formula: str) -> Any:
    import formulas  # imported on first use: it is slow to import and rarely needed

    use_lazy_function_table()
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
        return FormulaError(str(result), _EXCEL_ERRORS.get(str(result), NOT_COMPUTED))
    return result
