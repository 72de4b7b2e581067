"""Helpers for the permission-review tests: scan a small project written in the test."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from iamready.config import Config
from iamready.context import Context
from iamready.engine import scan


class Project:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.result: Any = None

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def context(self) -> Context:
        self.result = scan(Config(paths=(str(self.root),), cwd=str(self.root), no_cache=True), [])
        assert self.result.graph is not None, self.result.notifications
        return Context(self.result.graph)

    def principal(self, ctx: Context, address: str) -> Any:
        for resource in ctx.graph.resources():
            if resource.address == address:
                return resource
        raise KeyError(address)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line containing ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")
