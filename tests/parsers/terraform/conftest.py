"""Helpers for the Terraform resolution tests: write a small project, scan it into a graph."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from iamready.config import Config
from iamready.discovery import discover
from iamready.engine import build_graph
from iamready.iam.policy import PolicyDocument
from iamready.model.graph import Graph, Resource
from iamready.model.notes import UNRESOLVED
from iamready.model.value import cause_of, plain


class TfProject:
    """A Terraform project in a temporary directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sources: dict[str, str] = {}

    def write(self, files: dict[str, str]) -> TfProject:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            body = textwrap.dedent(text).lstrip("\n")
            path.write_text(body, encoding="utf-8")
            self.sources[name] = body
        return self

    def path(self, name: str) -> str:
        return str(self.root / name)

    def line_of(self, name: str, needle: str, nth: int = 1) -> int:
        """The 1-based line of the ``nth`` occurrence of ``needle`` in file ``name``."""
        found = [i for i, line in enumerate(self.sources[name].splitlines(), start=1) if needle in line]
        assert len(found) >= nth, f"{needle!r} occurs {len(found)} times in {name}"
        return found[nth - 1]

    def graph(
        self,
        *,
        variables: dict[str, str] | None = None,
        var_files: Iterable[str] = (),
        paths: Iterable[str] | None = None,
    ) -> Graph:
        roots = [str(self.root / p) for p in paths] if paths is not None else [str(self.root)]
        config = Config(
            paths=tuple(roots),
            cwd=str(self.root),
            vars=dict(variables or {}),
            var_files=tuple(var_files),
        )
        found = discover(list(roots), [], str(self.root))
        return build_graph(config, found, [], {})


@pytest.fixture
def tf(tmp_path: Path) -> TfProject:
    return TfProject(tmp_path)


# -- reading the graph -------------------------------------------------------------------------
def resource(graph: Graph, address: str) -> Resource:
    found = [r for r in graph.resources() if r.address == address]
    assert len(found) == 1, f"{address}: {[r.address for r in graph.resources()]}"
    return found[0]


def value(graph: Graph, address: str, attr: str) -> Any:
    """An attribute as plain Python data (Unknown/Choice kept)."""
    return plain(resource(graph, address).attr(attr).raw)


def local(graph: Graph, name: str, prefix: str = "") -> Any:
    return plain(resource(graph, f"{prefix}local.{name}").attrs["value"])


def documents(graph: Graph, address: str, attr: str | None = None) -> list[PolicyDocument]:
    return [d for d in graph.policies if d.holder.address == address and (attr is None or d.attr == attr)]


def document(graph: Graph, address: str, attr: str | None = None) -> PolicyDocument:
    docs = documents(graph, address, attr)
    assert len(docs) == 1, f"{address}.{attr}: {[(d.holder.address, d.attr) for d in graph.policies]}"
    return docs[0]


def statements(doc: PolicyDocument) -> list[tuple[Any, ...]]:
    """(sid, effect, actions, resources, file name, line) of each statement, plus ``when`` if any."""
    out = []
    for stmt in doc.statements:
        row: tuple[Any, ...] = (
            stmt.sid,
            stmt.effect,
            stmt.action_patterns if stmt.actions is not None else stmt.not_action_patterns,
            stmt.resource_patterns,
            os.path.basename(stmt.span.path),
            stmt.span.start_line,
        )
        if stmt.when:
            row += (stmt.when,)
        out.append(row)
    return out


def cause(graph: Graph, address: str, attr: str) -> tuple[str, int, str, str] | None:
    """(file name, line, message, fix) of the root cause an unknown attribute carries."""
    found = cause_of(resource(graph, address).attr(attr))
    if found is None:
        return None
    span = found.span
    return (os.path.basename(span.path) if span else "", span.start_line if span else 0, found.message, found.fix)


def notes(graph: Graph, kind: str | None = None) -> list[tuple[str, int, str]]:
    """(file name, line, message) of the notifications, and of the root causes said whether or not a rule
    needs them (as they read when no rule did)."""
    said = [
        (os.path.basename(n.span.path) if n.span else "", n.span.start_line if n.span else 0, n.message)
        for n in graph.notifications
        if kind is None or n.kind == kind
    ]
    if kind in (None, UNRESOLVED):
        for c in graph.causes:
            fix = f". To fix: {c.fix}" if c.fix else ""
            said.append(
                (os.path.basename(c.span.path) if c.span else "", c.span.start_line if c.span else 0, c.message + fix)
            )
    return sorted(said)


def edges(graph: Graph, kind: str) -> list[tuple[str, str]]:
    return sorted((src.address, dst.address) for src, dst, _ in graph.edges(kind))
