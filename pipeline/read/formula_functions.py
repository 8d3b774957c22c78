"""The formula library's table of spreadsheet functions, without SciPy until a formula needs it.

``formulas`` builds its table (``get_functions``) by importing every module of functions, and
two of them (statistics, and the old compatibility names built on it) import SciPy: a second
of start-up in every parsing worker's fork server, for formulas a provision map rarely has.
The table here holds the other modules' functions (arithmetic, SUM, ROUND, IF, text, dates,
lookups, NPV ...) and, the first time a formula names a function they lack (AVERAGE, STDEV,
MAX), becomes the library's own complete table, so every formula computes as before.
"""

from __future__ import annotations

import importlib
from typing import Any

_PACKAGE = "formulas.functions"
# Modules that import SciPy when imported (the others import it, if ever, inside a function).
NEEDS_SCIPY = frozenset({".stat", ".comp"})


class FunctionTable(dict[str, Any]):
    """The library's table, completed on the first name it does not hold yet.

    Like the library's own (a defaultdict), a name no module has reads as the library's
    "not implemented" function, which gives #NAME? when the formula is computed."""

    def __init__(self, complete: Any) -> None:
        self._complete = complete  # the library's get_functions
        self._completed = False
        functions = importlib.import_module(_PACKAGE)
        super().__init__()
        for name in functions.SUBMODULES:
            if name not in NEEDS_SCIPY:
                self.update(importlib.import_module(name, _PACKAGE).FUNCTIONS)
        self.update(functions.FUNCTIONS)
        self._not_implemented = functions.not_implemented

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or (self._complete_once() and super().__contains__(name))

    def __missing__(self, name: str) -> Any:
        if self._complete_once() and super().__contains__(name):
            return self[name]
        self[name] = self._not_implemented
        return self._not_implemented

    def _complete_once(self) -> bool:
        """Take in the modules left out; False once they are in (nothing more to find)."""
        if self._completed:
            return False
        self._completed = True
        self.update(self._complete())
        return True


def use_lazy_function_table() -> None:
    """Make the library's ``get_functions`` give a :class:`FunctionTable` (once per process)."""
    global _TABLE
    if _TABLE is not None:
        return
    table = _TABLE = FunctionTable(library_get_functions())
    functions: Any = importlib.import_module(_PACKAGE)
    functions.get_functions = lambda: table


def library_get_functions() -> Any:
    """The library's own ``get_functions`` (it imports every module of functions)."""
    global _LIBRARY_GET_FUNCTIONS
    if _LIBRARY_GET_FUNCTIONS is None:
        _LIBRARY_GET_FUNCTIONS = importlib.import_module(_PACKAGE).get_functions
    return _LIBRARY_GET_FUNCTIONS


_TABLE: FunctionTable | None = None  # this process's table, once the library uses it
_LIBRARY_GET_FUNCTIONS: Any = None
