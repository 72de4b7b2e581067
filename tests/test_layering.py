"""The layers of src/iamready and what each may import; and no import circle.

Every ``import iamready...`` in the source counts: at the top of a module, inside a function
(imported lazily to keep start-up lean) and under ``TYPE_CHECKING`` (a type is a dependency too).
The table below is the map in CONTRIBUTING.md ("The layers"); change both together.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "iamready"

# layer -> the top-level modules and packages of src/iamready in it ("iamready": the package itself)
LAYERS: dict[str, set[str]] = {
    "core": {"iamready", "model", "jsonpos", "checklist", "cache", "codecache", "awsdata"},
    "rule api": {"rule", "config", "registry", "loader"},
    "results": {"results", "provenance"},
    "inputs": {"parsers", "discovery", "gitdiff"},
    "semantics": {"iam", "aws", "context"},
    "stages": {"suppress", "baseline", "reporters", "docs"},
    "engine": {"engine"},
    "front ends": {"cli", "__main__", "permissions", "testing", "devtools", "refresh"},
}

# layer -> the layers it may import (besides itself)
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "rule api": {"core"},
    "results": {"core", "rule api"},
    "inputs": {"core", "results"},
    "semantics": {"core", "rule api"},
    "stages": {"core", "rule api", "results", "semantics"},
    "engine": {"core", "rule api", "results", "inputs", "semantics", "stages"},
    "front ends": {"core", "rule api", "results", "inputs", "semantics", "stages", "engine"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module imported, line, only for type checking) for every import of an iamready module.
    ``from package import submodule`` names the submodule."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for child in node.body for n in ast.walk(child))
    out = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES]
            names = subs if len(subs) == len(node.names) else [node.module]
        for name in names:
            if name == "iamready" or name.startswith("iamready."):
                out.append((name, node.lineno, id(node) in typing_only))
    return out


def _layer(module: str) -> str:
    top = module.split(".")[1] if "." in module else "iamready"
    for layer, members in LAYERS.items():
        if top in members:
            return layer
    raise AssertionError(f"{module} is in no layer: add it to LAYERS here and to CONTRIBUTING.md")


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        _layer(module)


def test_layers_import_only_the_layers_below_them() -> None:
    problems = []
    for module, path in MODULES.items():
        mine = _layer(module)
        for imported, line, _ in _imports(path):
            theirs = _layer(imported)
            if theirs != mine and theirs not in MAY_IMPORT[mine]:
                problems.append(f"{path.relative_to(SRC.parent)}:{line}: {mine} imports {theirs} ({imported})")
    assert problems == []


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return circles


def test_no_import_circle() -> None:
    """No module reaches itself through imports that run (at the top of a module or inside a
    function). Imports for type checking only are left out: they never run, and a module of one
    package may name the types of another (``analysis: EscalationAnalysis``)."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        graph[module] = {name for name, _, typing in _imports(path) if not typing and name in MODULES} - {module}
    assert _circles(graph) == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """A lazy import upwards is seen, a TYPE_CHECKING one is marked, and a circle is found."""
    path = tmp_path / "graph.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from iamready.iam.policy import PolicyDocument\n"
        "def f():\n    from iamready.engine import scan\n"
    )
    found = sorted((name, typing) for name, _, typing in _imports(path))
    assert found == [("iamready.engine", False), ("iamready.iam.policy", True)]
    assert "engine" not in MAY_IMPORT["core"] and "semantics" not in MAY_IMPORT["core"]
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
