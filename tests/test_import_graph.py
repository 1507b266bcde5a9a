"""The package import graph is one-way: a later stage imports earlier ones, never the reverse.

Built from the source with ``ast`` (every ``import``, at module level or inside a function,
because a function-level import is still a dependency of the package), so a lazy import
cannot hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "reoffend_eval"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of reoffend_eval that ``name`` imports (absolute names), wherever the import sits."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("reoffend_eval"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("reoffend_eval"):
                continue
            for alias in node.names:  # `from . import plots` imports the module plots
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return {m for m in found if m in known and m != name}


def _graph(level: str | None) -> dict[str, set[str]]:
    """Edges between stage packages (level None) or between the modules of one package."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        if name == "reoffend_eval":
            continue  # the facade: it imports every stage to name them, and no stage imports it
        for target in _imports(name, path, known):
            if target == "reoffend_eval":
                continue
            if level is None:
                a, b = name.split(".")[1], target.split(".")[1]
            else:
                if not (name.startswith(level + ".") and target.startswith(level + ".")):
                    continue
                a, b = name, target
                if a == level or b == level:
                    continue  # the package's own __init__ names its modules' public functions
            if a != b:
                graph.setdefault(a, set()).add(b)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_known_edges():
    # guards the test itself: if the parser missed relative imports every graph would be acyclic
    stages = _graph(None)
    assert "evaluate" in stages["report"]
    assert "matching" in stages["evaluate"]
    assert "reoffend_eval.matching.plots" in _graph("reoffend_eval.matching")["reoffend_eval.matching.result"]


def test_no_cycle_between_stage_packages():
    assert _cycles(_graph(None)) == []


def test_later_stages_never_imported_by_earlier_ones():
    order = ["data", "validate", "outcomes", "matching", "effects", "survival", "sensitivity", "evaluate", "report"]
    graph = _graph(None)
    for i, stage in enumerate(order):
        later = set(order[i + 1 :])
        assert not (graph.get(stage, set()) & later), f"{stage} imports a later stage: {graph[stage] & later}"


@pytest.mark.parametrize("package", sorted({n.split(".")[1] for n in _modules() if n.count(".") >= 2}))
def test_no_cycle_between_modules_of_a_package(package):
    assert _cycles(_graph(f"reoffend_eval.{package}")) == []
