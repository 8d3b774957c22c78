"""The import graph of pipeline/ reads as the journey: no circles, and no stage reaching up.

Read from the source with ``ast`` (nothing is imported). A module ``a`` imports ``b`` when it
says ``import b``, ``from b import x`` or ``from a_package import b``; imports under
``if TYPE_CHECKING`` count too, as a reader of the tree sees them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
# The project's own generators and trials, leaving pipeline/ for testkit/ (issue 11, part 1).

# Lowest first: a module may import its own layer and those below it, never one above.
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(names.split())
    for names in (
        "models outcomes round_records config errors atomic credentials logs libreoffice scratch"
        " proc timings",
        "intake read extract sources",
        "rules",
        "cases",
        "sandbox sandbox_process sandbox_worker worker_clock register",
        "context",
        "reports",
        "meetings",
        "flow",
    )
)
# Anything not in LAYERS is an entry point the CLI calls (runner, service, admin, desk, cli ...).
ENTRY = len(LAYERS)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def stage(module: str) -> str:
    """'pipeline.flow.journey' -> 'flow'; 'pipeline.runner' -> 'runner'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer(module: str) -> int:
    return next((i for i, names in enumerate(LAYERS) if stage(module) in names), ENTRY)


def imported(module: str) -> Iterator[str]:
    """The pipeline modules ``module`` imports."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules() else base for a in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in modules():
                name = name.rpartition(".")[0]
            if name and name != module:
                yield name


@cache
def graph() -> dict[str, frozenset[str]]:
    return {module: frozenset(imported(module)) for module in modules()}


def cycles() -> list[list[str]]:
    """Every circle of imports (Tarjan's strongly connected components of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph()[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = [stack.pop()]
            while component[-1] != module:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph()):
        if module not in index:
            visit(module)
    return found


def test_the_graph_is_read_from_the_source() -> None:
    assert "pipeline.runner" in graph()["pipeline.cli"]
    assert "pipeline.cases.assess" in graph()["pipeline.flow.journey"]


def test_no_module_of_pipeline_imports_itself_round_a_circle() -> None:
    assert cycles() == []


def test_no_stage_imports_a_later_one() -> None:
    upward = sorted(
        f"{module} imports {other}"
        for module, others in graph().items()
        for other in others
        if layer(other) > layer(module)
    )
    assert upward == []
