"""The ``iamready permissions`` command: parse, build the inventory, compare, render.

The old side of a comparison is a directory (``--compare OLD_PATH``) or a git revision
(``--diff-base REF``), whose tree is read with ``git archive`` into a temporary directory
(no checkout, no network, nothing written to the repository).
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from iamready.config import Config
    from iamready.context import Context
    from iamready.model.notes import Notification
    from iamready.permissions.inventory import Inventory


class PermissionsError(Exception):
    """The command cannot run (exit status 2)."""


@dataclass
class Outcome:
    text: str
    notifications: list[Notification] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    principals: int = 0


def load(config: Config) -> tuple[Context | None, list[Notification], dict[str, float]]:
    """Discover and parse ``config.paths`` into a graph (no rules run)."""
    from iamready.context import Context
    from iamready.discovery import discover
    from iamready.engine import build_graph
    from iamready.results import ScanError

    timings: dict[str, float] = {}
    found = discover(list(config.paths), list(config.exclude), config.cwd)
    notes = list(found.notifications)
    if found.empty:
        return None, notes, timings
    try:
        graph = build_graph(config, found, notes, timings)
    except ScanError as exc:
        raise PermissionsError(str(exc)) from None
    notes.extend(graph.notifications)
    return Context(graph, config), notes, timings


def inventory_of(config: Config, select: tuple[str, ...] = (), root: str | None = None) -> tuple[Inventory, Any]:
    from iamready.iam.catalog import catalog
    from iamready.permissions.inventory import Inventory, build_inventory

    ctx, notes, timings = load(config)
    base = root or config.cwd
    if ctx is None:
        return Inventory([], [], catalog().version, base), (notes, timings)
    t0 = time.perf_counter()
    inventory = build_inventory(ctx, base, select)
    timings["inventory"] = time.perf_counter() - t0
    return inventory, (notes, timings)


def run(
    config: Config,
    fmt: str,
    select: tuple[str, ...] = (),
    compare_path: str | None = None,
    diff_base: str | None = None,
) -> Outcome:
    from iamready.iam.catalog import catalog
    from iamready.permissions.compare import compare
    from iamready.permissions.render import render, render_diff

    if compare_path and diff_base:
        raise PermissionsError("use either --compare or --diff-base, not both")
    inventory, (notes, timings) = inventory_of(config, select)
    outcome = Outcome("", list(notes), dict(timings), len(inventory.principals))
    if not compare_path and not diff_base:
        t0 = time.perf_counter()
        outcome.text = render(fmt, inventory, catalog())
        outcome.timings["render"] = time.perf_counter() - t0
        return outcome
    with tempfile.TemporaryDirectory(prefix="iamready-old-") as tmp:
        if diff_base:
            old_paths, old_root = old_tree(diff_base, config.paths, config.cwd, tmp)
        else:
            assert compare_path is not None
            if not os.path.exists(os.path.join(config.cwd, compare_path)):
                raise PermissionsError(f"--compare {compare_path}: no such file or directory")
            old_paths, old_root = (compare_path,), config.cwd
        if old_paths:
            old_config = replace(config, paths=old_paths, cwd=old_root)
            old, (old_notes, _) = inventory_of(old_config, select, old_root)
        else:
            from iamready.permissions.inventory import Inventory

            old, old_notes = Inventory([], [], catalog().version, old_root), []
        outcome.notifications.extend(n for n in old_notes if n.level == "error")
        diffs = compare(old, inventory, catalog())
        outcome.text = render_diff(fmt, diffs, inventory, catalog(), old)
    return outcome


def old_tree(ref: str, paths: tuple[str, ...], cwd: str, into: str) -> tuple[tuple[str, ...], str]:
    """Extract the tree of ``ref`` into ``into``; return the given paths as they lie in it (those
    that existed at ``ref``) and the directory that stands for ``cwd``."""
    if not ref or ref.startswith("-"):
        raise PermissionsError(f"--diff-base {ref!r}: not a git revision")
    top = _git(["rev-parse", "--show-toplevel"], cwd, ref).decode().strip()
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top, ref, check=False)
    if not commit.strip():
        raise PermissionsError(f"--diff-base {ref}: git does not know this revision")
    archive = _git(["archive", "--format=tar", commit.decode().strip()], top, ref)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:  # pragma: no cover - Python without extraction filters
            tar.extractall(into)  # the git archive of the user's own repository
    real_top = os.path.realpath(top)
    mapped = []
    for path in paths:
        absolute = os.path.realpath(os.path.join(cwd, path))
        rel = os.path.relpath(absolute, real_top)
        if rel.startswith(".."):
            raise PermissionsError(f"--diff-base {ref}: {path} is outside the git repository {top}")
        old = os.path.join(into, rel)
        if os.path.exists(old):
            mapped.append(old)
    old_cwd = os.path.join(into, os.path.relpath(os.path.realpath(cwd), real_top))
    return tuple(mapped), old_cwd if os.path.isdir(old_cwd) else into


def _git(args: list[str], cwd: str, ref: str, check: bool = True) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=300,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise PermissionsError(f"--diff-base {ref}: git is not installed (or not on PATH)") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise PermissionsError(f"--diff-base {ref}: cannot run git: {exc}") from None
    if check and done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip().splitlines()
        raise PermissionsError(f"--diff-base {ref}: git {args[0]} failed: {detail[0] if detail else done.returncode}")
    return done.stdout
