"""Every runtime dependency earns its place: the source imports it (or reads its data files), and
the heavy ones only where they are needed. See CONTRIBUTING.md ("Dependencies")."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "iamready"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _top_level_names(distribution: str) -> set[str]:
    """The import names a distribution provides, from the installed metadata."""
    return {
        mod
        for mod, dists in importlib.metadata.packages_distributions().items()
        if distribution in {d.lower().replace("_", "-") for d in dists}
    }


def _uses() -> dict[str, set[str]]:
    """Import name -> the modules of src/iamready that import it or look its files up (find_spec)."""
    out: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif (
                isinstance(node, ast.Call)
                and ast.unparse(node.func).endswith("find_spec")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                names = [node.args[0].value]
            for name in names:
                out.setdefault(name.split(".")[0], set()).add(module)
    return out


def test_every_runtime_dependency_is_used_by_the_source() -> None:
    uses = _uses()
    unused = []
    for requirement in PYPROJECT["project"]["dependencies"]:
        if "python_version <" in requirement and sys.version_info >= (3, 11):
            continue  # tomli: the back-port of tomllib, imported only where tomllib is missing
        dist = _name(requirement)
        provides = _top_level_names(dist)
        assert provides, f"{dist} is not installed"
        if not provides & set(uses):
            unused.append(dist)
    assert unused == []


def test_networkx_is_imported_only_by_the_graph_queries() -> None:
    assert _uses()["networkx"] == {"iamready.permissions.reach"}


def test_cfn_flip_is_a_test_oracle_not_a_runtime_dependency() -> None:
    assert "cfn-flip" not in {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert "cfn-flip" in {_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
    assert "cfn_flip" not in _uses()
